// Study clock (学习计时) of the material reader; the rules are in partyedu/learning/study.py.
// A heartbeat goes out every `interval` seconds only while the tab is visible and focused, and only if the reader
// did something in the last two minutes (text) or the media is playing (video/audio). The server credits at most
// one interval per beat and one beat per moment across all the member's tabs, so this script need not be trusted.
(() => {
  "use strict";
  const el = document.querySelector("[data-study-tracker]");
  if (!el || !window.fetch) return;

  const url = el.dataset.url;
  const kind = el.dataset.kind || "article";
  const isMedia = kind === "video" || kind === "audio";
  const idleMs = (parseInt(el.dataset.idle, 10) || 120) * 1000;
  let intervalMs = (parseInt(el.dataset.interval, 10) || 15) * 1000;
  let lastActivity = Date.now();
  let timer = null;
  let stopped = false;

  const token = (() => {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  })();

  const csrfToken = () => {
    try {
      const headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
      if (headers["X-CSRFToken"]) return headers["X-CSRFToken"];
    } catch (e) {
      // fall through to the cookie
    }
    const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  };

  const media = () => (isMedia ? document.querySelector("[data-study-media], video, audio") : null);
  const find = (name) => el.querySelector(`[data-study-${name}]`);

  const show = (data) => {
    if (typeof data.seconds_display === "string") find("seconds").textContent = data.seconds_display;
    if (typeof data.required_display === "string") find("required").textContent = data.required_display;
    el.dataset.seconds = String(data.seconds || 0);
    const done = find("done");
    if (data.completed) {
      done.hidden = false;
      el.classList.add("is-completed");
    }
  };

  const setState = (state, text) => {
    el.dataset.state = state;
    find("state").textContent = text;
  };

  // Why the clock would not run right now, or "" when it runs.
  const pauseReason = () => {
    if (document.visibilityState !== "visible") return "已暂停：页面不在前台";
    if (!document.hasFocus()) return "已暂停：窗口未获得焦点";
    if (isMedia) {
      const m = media();
      if (!m || m.paused || m.ended) return "已暂停：未在播放";
      if (m.playbackRate > 2) return "已暂停：倍速超过2倍不计时";
      return "";
    }
    if (Date.now() - lastActivity > idleMs) return "已暂停：长时间无操作";
    return "";
  };

  const refreshState = () => {
    if (stopped) return;
    const reason = pauseReason();
    if (reason) setState("paused", reason);
    else setState("running", "计时中");
  };

  const played = () => {
    const m = media();
    if (!m || !m.played) return [];
    const ranges = [];
    for (let i = 0; i < m.played.length; i += 1) ranges.push([m.played.start(i), m.played.end(i)]);
    return ranges;
  };

  const beat = async () => {
    const m = media();
    const body = { token, played: played(), rate: m ? m.playbackRate : 1 };
    try {
      const response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify(body),
      });
      if (response.ok) {
        const data = await response.json();
        show(data);
        el.dataset.beats = String((parseInt(el.dataset.beats, 10) || 0) + 1);
      } else if (response.status === 403 || response.status === 404) {
        stop("本页学习时长无法记录");
      }
    } catch (e) {
      // offline for a moment: the next beat tries again; nothing is credited meanwhile
    }
  };

  const tick = () => {
    if (stopped) return;
    refreshState();
    if (!pauseReason()) beat();
    timer = window.setTimeout(tick, intervalMs);
  };

  const stop = (text) => {
    stopped = true;
    if (timer) window.clearTimeout(timer);
    setState("stopped", text);
  };

  const activity = () => {
    lastActivity = Date.now();
    refreshState();
  };
  ["scroll", "keydown", "mousemove", "mousedown", "wheel", "touchstart", "pointerdown"].forEach((name) =>
    window.addEventListener(name, activity, { passive: true, capture: true }),
  );
  document.addEventListener("visibilitychange", refreshState);
  window.addEventListener("focus", refreshState);
  window.addEventListener("blur", refreshState);
  ["play", "pause", "ended", "ratechange"].forEach((name) => document.addEventListener(name, refreshState, true));

  // The server says where the member stands and how often to beat, then the clock starts.
  fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
    .then((data) => {
      show(data);
      if (!data.member) {
        stop("当前账号未关联党员档案，不记录学习时长");
        return;
      }
      if (data.interval) intervalMs = data.interval * 1000;
      if (data.idle) lastActivity = Date.now();
      refreshState();
      timer = window.setTimeout(tick, intervalMs);
    })
    .catch(() => stop("学习时长暂时无法记录"));
})();
