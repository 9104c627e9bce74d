"""The culture indicators about households and selections, registered with the work plan's indicator registry
(`tasks.indicators`), per settlement as of a day; the county figure is their sum, so the share hung on time is
shown as two counts (due, hung by the due date) — a percentage would not add up across settlements.

No plan Target is tied to them: the plan prints the photo duty as dates per project year (its Deadlines, read
through `tasks.household_duties`), not as a number a Target could hold (a Target's wording must be a number the
text prints, and the county figure of a share would be a sum of shares)."""

from settlements.models import Settlement
from tasks.indicators import Spec, register_group
from tasks.registry_indicators import REGISTRY_MODELS

from .selectors import house_photos, selections

PHOTOS_DUE = "culture.house_photos_due"
PHOTOS_ON_TIME = "culture.house_photos_on_time"
PHOTOS_OVERDUE = "culture.house_photos_overdue"
SELECTIONS_THIS_YEAR = "culture.selections_this_year"
SELECTION_YEARS_MISSED = "culture.selection_years_missed"


@register_group(
    "culture.house_photos",
    [
        Spec(PHOTOS_DUE, "新旧住房对比照片应挂户（已到期）", "户", sort_order=520, households=True),
        Spec(PHOTOS_ON_TIME, "到期前已悬挂照片户", "户", sort_order=521, households=True),
        Spec(PHOTOS_OVERDUE, "照片逾期未挂户", "户", sort_order=522, households=True),
    ],
    reads=(*REGISTRY_MODELS, "culture.HousePhoto", "tasks.Deadline"),
)
def house_photo_figures(day):
    figures = house_photos.photo_figures(day=day)
    return {PHOTOS_DUE: figures.due, PHOTOS_ON_TIME: figures.on_time, PHOTOS_OVERDUE: figures.overdue}


@register_group(
    "culture.selections",
    [
        Spec(SELECTIONS_THIS_YEAR, "本年度已举行评先选优", "次", sort_order=530),
        Spec(SELECTION_YEARS_MISSED, "往年缺评先选优的年度", "个", sort_order=531),
    ],
    reads=(*REGISTRY_MODELS, "settlements.DatedRule", "culture.Selection"),
)
def selection_figures(day):
    _, rows = selections.selection_years(settlements=list(Settlement.objects.all()), day=day)
    return {
        SELECTIONS_THIS_YEAR: selections.held_this_year(day=day),
        SELECTION_YEARS_MISSED: {row.settlement.pk: len(row.missing) for row in rows},
    }
