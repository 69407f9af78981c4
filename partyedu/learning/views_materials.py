"""Library pages: list with search, material page, the access-checked file, and the workers' create/edit form."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render

from partyedu.accounts.access import Access, Capability

from . import materials_selectors as selectors
from . import materials_services as services
from .models import Material, MaterialCategory, MaterialKind, Topic


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label="搜索", required=False, max_length=60)
    category = forms.ChoiceField(
        label="分类", required=False, choices=[("", "全部分类"), *MaterialCategory.choices]
    )
    topic = forms.ModelChoiceField(
        label="专题", required=False, queryset=Topic.objects.all(), empty_label="全部专题"
    )
    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部类型"), *MaterialKind.choices])


class MaterialForm(forms.ModelForm):
    upload = forms.FileField(label="文件（视频、音频、PDF/Word 文档）", required=False)
    new_topic = forms.CharField(label="新专题", required=False, max_length=60)

    class Meta:
        model = Material
        fields = [
            "kind",
            "title",
            "category",
            "topics",
            "publisher",
            "visibility",
            "summary",
            "body",
            "tags",
            "reading_minutes",
            "duration_seconds",
            "source",
        ]
        widgets = {"body": forms.Textarea(attrs={"rows": 14}), "topics": forms.CheckboxSelectMultiple}

    def __init__(self, *args, access: Access, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publisher"].queryset = access.orgs(Capability.MANAGE_ORG).order_by("path")
        self.fields["reading_minutes"].required = False
        self.fields["reading_minutes"].help_text = "不填时文章按每分钟约 400 字估算，音视频按时长"


def library(request):
    form = LibraryFilterForm(request.GET or None)
    f = selectors.LibraryFilter()
    if form.is_valid():
        d = form.cleaned_data
        f = selectors.LibraryFilter(
            q=d["q"] or "",
            category=d["category"] or "",
            topic=d["topic"].pk if d["topic"] else None,
            kind=d["kind"],
        )
    try:
        number = int(request.GET.get("page", 1))
    except ValueError:
        number = 1
    result = selectors.library(request.user, f, number)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "learning/material_list.html",
        {
            "form": form,
            "result": result,
            "query": query.urlencode(),
            "can_create": Access.of(request.user).has(Capability.MANAGE_ORG),
        },
    )


def detail(request, pk: int):
    access = Access.of(request.user)
    material = selectors.visible_material(access, pk)
    return render(
        request,
        "learning/material_detail.html",
        {
            "material": material,
            "topics": list(material.topics.all()),
            "can_edit": selectors.can_manage(access, material),
        },
    )


def file(request, pk: int):
    """Uploaded files are served only through here, after the visibility check: MEDIA is not public."""
    material = selectors.visible_material(Access.of(request.user), pk)
    if not material.file:
        raise Http404("该资料没有文件")
    try:
        handle = material.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("文件不存在") from exc
    response = FileResponse(
        handle,
        as_attachment=material.kind == MaterialKind.DOCUMENT,
        filename=material.file_name or "material",
        content_type=material.file_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _save(request, form: MaterialForm, material: Material | None):
    d = form.cleaned_data
    topics = list(d["topics"])
    try:
        if d["new_topic"]:
            topics.append(services.topic_named(d["new_topic"]))
        fields = {
            name: d[name] if d[name] is not None else ""
            for name in (
                "kind",
                "title",
                "category",
                "publisher",
                "visibility",
                "summary",
                "body",
                "tags",
                "source",
            )
        }
        fields |= {"reading_minutes": d["reading_minutes"], "duration_seconds": d["duration_seconds"]}
        upload = d["upload"]
        if material is None:
            material = services.create_material(topics=topics, upload=upload, by=request.user, **fields)
        else:
            material = services.update_material(material, topics=topics, upload=upload, **fields)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                form.add_error(
                    name if name in form.fields else ("upload" if name == "file" else None), errors
                )
        else:
            form.add_error(None, exc)
        return None
    return material


def create(request):
    access = Access.of(request.user)
    access.require(Capability.MANAGE_ORG)
    form = MaterialForm(request.POST or None, request.FILES or None, access=access)
    if request.method == "POST" and form.is_valid():
        material = _save(request, form, None)
        if material is not None:
            messages.success(request, f"已发布“{material.title}”")
            return redirect("learning:material_detail", material.pk)
    return render(request, "learning/material_form.html", {"form": form, "material": None})


def edit(request, pk: int):
    access = Access.of(request.user)
    material = selectors.visible_material(access, pk)
    if not selectors.can_manage(access, material):
        raise PermissionDenied("您没有权限修改该资料")
    form = MaterialForm(request.POST or None, request.FILES or None, instance=material, access=access)
    if request.method == "POST" and form.is_valid():
        # The form must not write the instance itself: the service sanitises, validates and re-indexes.
        material.refresh_from_db()
        if _save(request, form, material) is not None:
            messages.success(request, "已保存")
            return redirect("learning:material_detail", material.pk)
    return render(request, "learning/material_form.html", {"form": form, "material": material})
