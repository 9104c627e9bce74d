"""The pages of the community groups an app counts, made once: a list (filters, pagination, Excel), a group's
page (members, photos, history) and its form. An app names its kinds and gets the pages in its own namespace:

    TEAMS = GroupPages(app="culture", title="文化队伍", read=READ_CULTURE, kinds=team_kinds,
                       export="culture.teams", prefix="teams/")
    urlpatterns = [..., *TEAMS.urls()]

giving `culture:group_list`, `group_export`, `group_create`, `group_detail`, `group_edit`. A group of a kind the
app does not count, or of a settlement outside the user's scope, is a 404 there. `warnings(user, day)` gives the
lines the list shows above its rows (the rule a settlement falls short of).
"""

from collections.abc import Callable

from django import forms
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone

from . import capabilities, community_groups, exports, photos
from .capabilities import KEEP_COMMUNITY_GROUPS, Capability, capability_required
from .form_pages import page_of, save_or_show
from .forms import ListFilter, StyledModelForm, date_input
from .models import CommunityGroup, GroupKind, Person, Settlement
from .resident_fields import IdNumbersField, ResidentChoice, chosen_and_named, residents_named
from .xlsx_writer import DATE, SheetColumn


class CommunityGroupForm(StyledModelForm):
    keep_members = ResidentChoice(label="现有户籍台账成员", queryset=Person.objects.none(), required=False)
    add_members = IdNumbersField(
        label="添加户籍台账成员（选填）", help_text="每行一个身份证号；须为本安置点的在册人员。"
    )

    class Meta:
        model = CommunityGroup
        fields = ["settlement", "kind", "name", "founded_on", "disbanded_on", "leader", "members_count", "note"]
        widgets = {"founded_on": date_input(), "disbanded_on": date_input(), "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, kinds: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["settlement"].queryset = Settlement.objects.for_user(user)
        self.fields["kind"].queryset = kinds
        if self.instance.pk:
            current = self.instance.members.order_by("name", "pk")
            self.fields["keep_members"].queryset = current
            self.fields["keep_members"].initial = list(current)
        else:
            del self.fields["keep_members"]
        self._style()

    def clean(self):
        data = super().clean()
        data["named"] = residents_named(self, "add_members", user=self.user, settlement=data.get("settlement"))
        return data

    def members(self) -> list:
        return chosen_and_named(self.cleaned_data.get("keep_members", []), self.cleaned_data["named"])


class GroupFilter(ListFilter):
    placeholder = "名称或负责人"
    kind = forms.ModelChoiceField(label="类别", queryset=GroupKind.objects.none(), required=False)
    active = forms.ChoiceField(
        label="统计日期时", choices=[("", "全部"), ("yes", "在活动"), ("no", "未成立或已解散")], required=False
    )
    day = forms.DateField(label="统计日期", required=False, widget=date_input())

    def __init__(self, *args, kinds: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = kinds


class GroupExport(exports.ListPageExporter):
    """A page's list of groups, with its filters, in the user's scope. Registry members are not exported, so it
    holds no personal data."""

    personal_data = False
    columns = [
        SheetColumn("安置点", 8),
        SheetColumn("类别", 18),
        SheetColumn("名称", 20),
        SheetColumn("成立日期", 12, DATE),
        SheetColumn("解散日期", 12, DATE),
        SheetColumn("负责人", 10),
        SheetColumn("成员人数", 8),
        SheetColumn("备注", 30),
    ]

    def row(self, group) -> list:
        return [
            group.settlement.name,
            group.kind.name,
            group.name,
            group.founded_on,
            group.disbanded_on,
            group.leader,
            group.members_count,
            group.note,
        ]


class GroupPages:
    def __init__(
        self,
        *,
        app: str,
        title: str,
        read: Capability,
        kinds: Callable[[], QuerySet],
        export: str,
        prefix: str = "groups/",
        warnings: Callable | None = None,
    ):
        self.app, self.title, self.read, self.kinds, self.prefix = app, title, read, kinds, prefix
        self.warnings = warnings
        self.exporter = exports.register(
            type(
                f"{app.title()}GroupExport",
                (GroupExport,),
                {
                    "__qualname__": f"GroupExport[{export}]",
                    "identifier": export,
                    "verbose_name": title,
                    "sheet_name": title,
                    "capability": read,
                    "query": staticmethod(self.query),
                },
            )
        )

    # --- reading -------------------------------------------------------------------------------------------------

    def query(self, user, params):
        """The list's filter and rows, shared by the page and its export."""
        kinds = self.kinds()
        form = GroupFilter(params or None, user=user, kinds=kinds)
        data = form.values()
        day = data.get("day") or timezone.localdate()
        rows = community_groups.group_list(
            user=user,
            day=day,
            kinds=kinds,
            settlement=data.get("settlement"),
            kind=data.get("kind"),
            active=data.get("active", ""),
            query=data.get("q", ""),
        )
        return form, day, rows

    def _group(self, user, pk) -> CommunityGroup:
        scope = CommunityGroup.objects.for_user(user).filter(kind__in=self.kinds())
        return get_object_or_404(scope.select_related("settlement", "kind"), pk=pk)

    def _context(self, **context) -> dict:
        return {"title": self.title, "subnav": f"{self.app}/partials/subnav.html", "urls": self._names(), **context}

    def _names(self) -> dict:
        return {name: f"{self.app}:group_{name}" for name in ("list", "export", "create", "detail", "edit")}

    def list_page(self, request):
        form, day, rows = self.query(request.user, request.GET)
        context = self._context(
            form=form,
            day=day,
            page=page_of(request, rows),
            warnings=self.warnings(request.user, day) if self.warnings else [],
        )
        return render(request, "community_groups/list.html", context)

    def detail_page(self, request, pk):
        group = self._group(request.user, pk)
        context = self._context(
            group=group,
            members=group.members.order_by("name", "id"),
            gallery=photos.gallery(group, request.user),
            history=group.history.select_related("history_user")[:20],
        )
        return render(request, "community_groups/detail.html", context)

    # --- writing -------------------------------------------------------------------------------------------------

    def create_page(self, request):
        capabilities.require(request.user, KEEP_COMMUNITY_GROUPS)
        return self._form(request, CommunityGroup())

    def edit_page(self, request, pk):
        group = self._group(request.user, pk)
        capabilities.require(request.user, KEEP_COMMUNITY_GROUPS)
        return self._form(request, group)

    def _form(self, request, group):
        kinds = self.kinds()
        form = CommunityGroupForm(request.POST or None, instance=group, user=request.user, kinds=kinds)
        saved = {}

        def write(data):
            saved["group"] = community_groups.save_group(
                group=form.instance, members=form.members(), actor=request.user, allowed_kinds=kinds
            )

        back = reverse(f"{self.app}:group_list")
        context = self._context(subject=group.name, back=back)
        response = save_or_show(request, form, "form_page.html", context, write, "已保存。", back)
        if "group" in saved:
            response["Location"] = reverse(f"{self.app}:group_detail", args=[saved["group"].pk])
        return response

    def urls(self) -> list:
        required = capability_required(self.read)
        return [
            path(self.prefix, required(self.list_page), name="group_list"),
            path(f"{self.prefix}export.xlsx", exports.view(self.exporter.identifier), name="group_export"),
            path(f"{self.prefix}new/", required(self.create_page), name="group_create"),
            path(f"{self.prefix}<int:pk>/", required(self.detail_page), name="group_detail"),
            path(f"{self.prefix}<int:pk>/edit/", required(self.edit_page), name="group_edit"),
        ]
