"""The open affairs' exports, registered with the portal's export registry (`settlements.exports`): each list page
downloads its rows with the page's filters, in the user's scope. They name no resident (notices, meetings,
evaluations, documents of a settlement): not personal data, yet a clerk's file holds the clerk's settlements
only."""

from settlements import exports
from settlements.xlsx_writer import DATE, SheetColumn

from . import open_affairs_forms as forms
from .capabilities import READ_GOVERNANCE
from .selectors import open_affairs

SETTLEMENT = SheetColumn("安置点", 8)


class _Listed(exports.ListPageExporter):
    """A list page's rows (`forms.*_query`), the month in the file's name."""

    capability = READ_GOVERNANCE
    personal_data = False
    stamp = "%Y%m"


@exports.register
class Publications(_Listed):
    identifier = "governance.publications"
    verbose_name = "居务公开台账"
    sheet_name = "居务公开台账"
    columns = [
        SETTLEMENT,
        SheetColumn("公开日期", 12, DATE),
        SheetColumn("类别", 16),
        SheetColumn("公开事项", 20),
        SheetColumn("标题", 30),
        SheetColumn("公开地点", 24),
        SheetColumn("公开内容摘要", 40),
    ]
    query = forms.publication_query

    def row(self, publication):
        return [
            publication.settlement.name,
            publication.published_on,
            publication.item.get_category_display(),
            publication.item.title,
            publication.title,
            publication.where,
            publication.content,
        ]


@exports.register
class Meetings(_Listed):
    identifier = "governance.meetings"
    verbose_name = "居民会议和协商议事会议"
    sheet_name = "会议台账"
    columns = [
        SETTLEMENT,
        SheetColumn("召开日期", 12, DATE),
        SheetColumn("会议类型", 16),
        SheetColumn("议题", 40),
        SheetColumn("参加人数", 8),
        SheetColumn("会议结果", 40),
        SheetColumn("决定数", 8),
    ]
    query = forms.meeting_query

    def row(self, meeting):
        return [
            meeting.settlement.name,
            meeting.held_on,
            meeting.get_kind_display(),
            meeting.topics,
            meeting.participants,
            meeting.outcome,
            meeting.decision_count,
        ]


@exports.register
class Decisions(_Listed):
    identifier = "governance.decisions"
    verbose_name = "会议决定和先协商后决策"
    sheet_name = "会议决定"
    columns = [
        SETTLEMENT,
        SheetColumn("决策日期", 12, DATE),
        SheetColumn("会议类型", 16),
        SheetColumn("事项", 30),
        SheetColumn("决定内容", 40),
        SheetColumn("涉及切身利益或投工投劳", 10),
        SheetColumn("事先协商日期", 12, DATE),
        SheetColumn("先协商后决策", 40),
    ]
    query = forms.decision_query

    def __init__(self, user, params=None, **options):
        super().__init__(user, params, **options)
        self.days_before = open_affairs._days_before(forms._today())

    def row(self, decision):
        meeting, consultation = decision.meeting, decision.consultation
        problem = open_affairs.decision_problem(decision, self.days_before) if self.days_before is not None else None
        verdict = problem or ("符合" if decision.touches_interests else "不适用")
        return [
            meeting.settlement.name,
            meeting.held_on,
            meeting.get_kind_display(),
            decision.matter,
            decision.decision,
            "是" if decision.touches_interests else "否",
            consultation.held_on if consultation else None,
            verdict,
        ]


@exports.register
class Evaluations(_Listed):
    identifier = "governance.evaluations"
    verbose_name = "民主评议"
    sheet_name = "民主评议"
    columns = [
        SETTLEMENT,
        SheetColumn("评议日期", 12, DATE),
        SheetColumn("评议对象", 24),
        SheetColumn("组织单位", 20),
        SheetColumn("参加人数", 8),
        SheetColumn("评议结果", 40),
        SheetColumn("满意率（%）", 10),
    ]
    query = forms.evaluation_query

    def row(self, evaluation):
        return [
            evaluation.settlement.name,
            evaluation.held_on,
            evaluation.object_label,
            evaluation.organiser,
            evaluation.participants,
            evaluation.results,
            evaluation.satisfaction,
        ]


@exports.register
class Documents(_Listed):
    identifier = "governance.self_governance_documents"
    verbose_name = "居民自治章程和居民公约"
    sheet_name = "自治章程和居民公约"
    columns = [
        SETTLEMENT,
        SheetColumn("文件", 14),
        SheetColumn("通过日期", 12, DATE),
        SheetColumn("通过的会议", 16),
        SheetColumn("全文或要点", 60),
    ]
    query = forms.document_query

    def row(self, document):
        return [
            document.settlement.name,
            document.get_kind_display(),
            document.adopted_on,
            document.adopted_by,
            document.text,
        ]
