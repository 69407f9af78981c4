// Live competition: the phone (player), the host's console and the big screen poll a small state endpoint about
// once a second (the phone with ETag/304) and draw what it says. The server decides everything: the question
// appears only while open, the answer only after the round closes; the countdown here is for display only.
(function () {
  "use strict";
  const root = document.getElementById("live");
  if (!root) return;
  const role = root.dataset.role;
  const stateUrl = root.dataset.stateUrl;
  const answerUrl = root.dataset.answerUrl;
  const seat = root.dataset.seat;  // the player's signed seat: the answer's credential (competitions/lane.py)
  const LETTERS = "ABCDEFGH";
  const PHASE_LABEL = { lobby: "等待开始", open: "作答中", closing: "收卷中", revealed: "已公布答案", finished: "已结束" };
  let etag = null;
  let deadline = null;
  let shownRound = null;
  let answeredRound = null;
  let timer = null;
  let last = null;

  const $ = (id) => document.getElementById(id);
  const setText = (id, text) => { const el = $(id); if (el) el.textContent = text; };

  function showPhase(name) {
    root.querySelectorAll("[data-phase]").forEach((el) => { el.hidden = el.dataset.phase !== name; });
  }

  function fillBoard(id, rows, me) {
    const list = $(id);
    if (!list) return;
    list.replaceChildren();
    (rows || []).forEach((r) => {
      const li = document.createElement("li");
      const rank = document.createElement("span"); rank.className = "cmp-rank"; rank.textContent = r.rank;
      const name = document.createElement("span"); name.className = "cmp-name"; name.textContent = r.name;
      const pts = document.createElement("span"); pts.className = "cmp-pts"; pts.textContent = (r.total !== undefined ? r.total : r.average) + " 分";
      li.append(rank, name, pts);
      if (me && r.name === me) li.classList.add("cmp-me");
      list.append(li);
    });
  }

  function fillOptions(id, question) {
    const list = $(id);
    if (!list) return;
    list.replaceChildren();
    const options = question.qtype === "judge" ? ["对", "错"] : question.options;
    options.forEach((text) => { const li = document.createElement("li"); li.textContent = text; list.append(li); });
  }

  function keyLabel(s) {
    const q = s.question;
    if (!s.key) return "";
    if (q && q.qtype === "single") return LETTERS[s.key.answer.choice] + ". " + q.options[s.key.answer.choice];
    if (q && q.qtype === "multiple") return s.key.answer.choices.map((i) => LETTERS[i] + ". " + q.options[i]).join("；");
    return s.key.answer_text;
  }

  function tick() {
    if (deadline === null) { setText("countdown", ""); return; }
    const left = Math.max(0, Math.ceil((deadline - performance.now()) / 1000));
    setText("countdown", left + " 秒");
    const el = $("countdown");
    if (el) el.classList.toggle("cmp-urgent", left <= 5);
  }
  setInterval(tick, 200);

  // --- the phone ----------------------------------------------------------------------------------------------
  function buildAnswerForm(q, round) {
    const form = $("answer-form");
    form.replaceChildren();
    form.dataset.round = round;
    const submitWith = (payload) => sendAnswer(round, payload);
    if (q.qtype === "single" || q.qtype === "judge") {
      const options = q.qtype === "judge" ? ["对", "错"] : q.options;
      options.forEach((text, i) => {
        const b = document.createElement("button");
        b.type = "button";
        b.className = "cmp-option";
        b.dataset.index = i;
        b.textContent = (q.qtype === "judge" ? "" : LETTERS[i] + ". ") + text;
        b.addEventListener("click", () => {
          b.classList.add("cmp-picked");
          submitWith(q.qtype === "judge" ? { value: i === 0 ? "true" : "false" } : { choice: String(i) });
        });
        form.append(b);
      });
    } else if (q.qtype === "multiple") {
      q.options.forEach((text, i) => {
        const label = document.createElement("label");
        label.className = "cmp-option cmp-check";
        const box = document.createElement("input"); box.type = "checkbox"; box.value = i;
        label.append(box, " " + LETTERS[i] + ". " + text);
        form.append(label);
      });
      const go = document.createElement("button"); go.type = "button"; go.className = "big-button"; go.textContent = "提交";
      go.addEventListener("click", () => {
        const picked = Array.from(form.querySelectorAll("input:checked")).map((x) => x.value);
        if (picked.length) submitWith({ choices: picked.join(",") });
      });
      form.append(go);
    } else {
      for (let i = 0; i < (q.blanks || 1); i += 1) {
        const input = document.createElement("input"); input.type = "text"; input.className = "cmp-blank";
        input.placeholder = "第" + (i + 1) + "空"; input.autocomplete = "off";
        form.append(input);
      }
      const go = document.createElement("button"); go.type = "button"; go.className = "big-button"; go.textContent = "提交";
      go.addEventListener("click", () => {
        const blanks = Array.from(form.querySelectorAll("input")).map((x) => x.value);
        submitWith({ blanks: blanks });
      });
      form.append(go);
    }
  }

  function lockForm() {
    $("answer-form").querySelectorAll("button, input").forEach((el) => { el.disabled = true; });
  }

  async function sendAnswer(round, payload) {
    if (answeredRound === round) return;
    answeredRound = round;
    lockForm();
    setText("answer-status", "正在提交…");
    const body = new URLSearchParams({ round: String(round), ...payload });
    if (payload.blanks) { body.delete("blanks"); payload.blanks.forEach((b) => body.append("blanks", b)); }
    try {
      const r = await fetch(answerUrl, {
        method: "POST", body, credentials: "omit",
        headers: { "X-Live-Seat": seat, "Accept": "application/json" },
      });
      const data = await r.json();
      setText("answer-status", data.ok ? "已提交，等待公布答案" : data.message);
      if (!data.ok && data.code === "rate") { answeredRound = null; }
    } catch (e) {
      answeredRound = null;
      setText("answer-status", "网络异常，请重试");
      $("answer-form").querySelectorAll("button, input").forEach((el) => { el.disabled = false; });
    }
  }

  function drawPlayer(s) {
    if (s.phase === "lobby") { showPhase("lobby"); deadline = null; return; }
    if (s.phase === "finished") {
      showPhase("finished"); deadline = null;
      if (s.me) {
        setText("my-total", s.me.total);
        setText("final-line", "总分 " + s.me.total + " 分，答对 " + s.me.correct + " 题" + (s.me.rank ? "，第 " + s.me.rank + " 名" : ""));
      }
      fillBoard("final-board", s.board, s.me && s.me.name);
      return;
    }
    if (s.phase === "open" || s.phase === "closing") {
      showPhase("question");
      if (shownRound !== s.round) {
        shownRound = s.round;
        setText("q-number", "第 " + s.question.number + " / " + s.rounds + " 题");
        setText("q-type", s.question.qtype_label);
        setText("q-stem", s.question.stem);
        setText("answer-status", "");
        buildAnswerForm(s.question, s.round);
        if (answeredRound === s.round) lockForm();
      }
      deadline = performance.now() + s.closes_in_ms;
      if (s.phase === "closing") { lockForm(); if (answeredRound !== s.round) setText("answer-status", "时间到"); }
      return;
    }
    showPhase("reveal"); deadline = null;
    setText("key-text", keyLabel(s));
    setText("key-explanation", s.key.explanation || "");
    if (s.mine) {
      const line = s.mine.missed ? "本题未作答" : (s.mine.correct ? "回答正确，+" + s.mine.points + " 分" : "回答错误");
      setText("my-result", line);
      $("my-result").classList.toggle("cmp-right", !!s.mine.correct);
    }
    if (s.me) {
      setText("my-total", s.me.total);
      setText("my-rank", s.me.rank ? "当前总分 " + s.me.total + " 分，第 " + s.me.rank + " 名" : "当前总分 " + s.me.total + " 分");
    }
    fillBoard("board", s.board, s.me && s.me.name);
  }

  // --- the host and the big screen ----------------------------------------------------------------------------
  function drawDistribution(s) {
    const box = $("distribution");
    if (!box || !s.distribution) return;
    box.replaceChildren();
    const q = s.question;
    const labels = q.qtype === "judge" ? ["对", "错"] : q.options.map((t, i) => LETTERS[i] + ". " + t);
    const counts = s.distribution.options || [];
    const total = Math.max(1, s.distribution.total);
    let right = [];
    if (q.qtype === "single") right = [s.key.answer.choice];
    if (q.qtype === "multiple") right = s.key.answer.choices;
    if (q.qtype === "judge") right = [s.key.answer.value ? 0 : 1];
    labels.forEach((label, i) => {
      const row = document.createElement("div"); row.className = "cmp-bar-row";
      const name = document.createElement("span"); name.className = "cmp-bar-label"; name.textContent = label;
      const track = document.createElement("span"); track.className = "cmp-bar-track";
      const bar = document.createElement("span"); bar.className = "cmp-bar" + (right.includes(i) ? " cmp-bar-right" : "");
      bar.style.width = Math.round((100 * (counts[i] || 0)) / total) + "%";
      track.append(bar);
      const n = document.createElement("span"); n.className = "cmp-bar-count"; n.textContent = (counts[i] || 0) + " 人";
      row.append(name, track, n);
      box.append(row);
    });
    const sum = document.createElement("p");
    sum.textContent = "共 " + s.distribution.total + " 人作答，答对 " + s.distribution.correct + " 人";
    box.append(sum);
  }

  function drawTeams(s, boxId, listId) {
    const box = $(boxId);
    if (!box) return;
    box.hidden = !(s.teams && s.teams.length);
    fillBoard(listId, s.teams);
  }

  function drawScreen(s) {
    setText("players", s.players);
    setText("phase-label", PHASE_LABEL[s.phase] || s.phase);
    setText("round-label", s.round ? "第 " + s.round + " / " + s.rounds + " 题" : "");
    if (s.answered !== undefined) setText("answered-line", "已作答 " + s.answered + " / " + s.players + " 人");
    else setText("answered-line", "");
    if (s.question && shownRound !== s.round) {
      shownRound = s.round;
      setText("q-stem", s.question.stem);
      fillOptions("q-options", s.question);
    }
    if (s.phase === "open" || s.phase === "closing") {
      deadline = performance.now() + s.closes_in_ms;
    } else {
      deadline = null;
    }
    if (role === "host") {
      setText("key-text", s.key ? keyLabel(s) : "（本题结束后显示）");
      fillBoard("board", s.board);
      const next = $("next-button");
      if (next) {
        next.disabled = !(s.has_next && (s.phase === "lobby" || s.phase === "revealed"));
        next.textContent = s.round ? "下一题" : "开始第一题";
      }
      const close = $("close-button"); if (close) close.disabled = s.phase !== "open";
      const fin = $("finish-button"); if (fin) fin.disabled = !(s.phase === "revealed" || s.phase === "lobby");
      return;
    }
    if (s.phase === "lobby") showPhase("lobby");
    else if (s.phase === "open" || s.phase === "closing") showPhase("question");
    else if (s.phase === "revealed") {
      showPhase("reveal");
      setText("key-text", keyLabel(s));
      setText("key-explanation", s.key.explanation || "");
      drawDistribution(s);
      fillBoard("board", s.board);
      drawTeams(s, "teams-box", "teams");
    } else {
      showPhase("finished");
      fillBoard("final-board", s.board);
      drawTeams(s, "final-teams-box", "final-teams");
    }
  }

  // --- the loop -------------------------------------------------------------------------------------------------
  async function poll() {
    let wait = 1000;
    try {
      const headers = { "Accept": "application/json" };
      let credentials = "same-origin";  // the host's console and the big screen: the worker's login
      if (role === "player") {
        headers["X-Live-Seat"] = seat;  // the phone: its seat, no cookie
        credentials = "omit";
        if (etag) headers["If-None-Match"] = etag;
      }
      const r = await fetch(stateUrl, { headers, credentials, cache: "no-store" });
      if (r.status === 200) {
        etag = r.headers.get("ETag");
        last = await r.json();
        if (role === "player") drawPlayer(last); else drawScreen(last);
        setText("net-status", "");
      } else if (r.status === 403 && role === "player") {
        setText("net-status", "竞赛凭证已失效，请重新打开竞赛页面");  // a seat of an earlier day
        wait = 10000;
      } else if (r.status !== 304) {
        setText("net-status", "连接异常（" + r.status + "），正在重试…");
        wait = 3000;
      }
      if (last && last.phase === "finished") return;
      // right after the close, look again soon so the answer shows as the grace ends
      if (last && (last.phase === "open" || last.phase === "closing") && last.closes_in_ms < 1000) wait = 500;
    } catch (e) {
      setText("net-status", "网络异常，正在重试…");
      wait = 3000;
    }
    timer = setTimeout(poll, wait);
  }
  poll();
  window.addEventListener("beforeunload", () => clearTimeout(timer));
})();
