"""Pages of 户籍和市民证: each resident's card status, the transfer and card forms, and the section of the
settlement and household pages."""

from django.shortcuts import render

from settlements import capabilities, exports
from settlements.capabilities import capability_required
from settlements.form_pages import page_of, person_for

from .. import exports as _registered  # noqa: F401  (the exporters the download views name)
from .. import forms, rules, services
from ..capabilities import KEEP_SERVICES, READ_SERVICES
from ..models import CitizenCard, HukouTransfer
from ..selectors import hukou
from ..selectors.hukou import CardStatus
from .common import household_url, save_or_show

PREVIEW = 10


@capability_required(READ_SERVICES)
def card_list(request):
    form, day, rows = forms.card_query(request.user, request.GET)
    page = page_of(request, rows)
    for stay in page:
        stay.card_status = CardStatus.LABELS[hukou.status_of(stay, day)]
    context = {"form": form, "day": day, "page": page, "months": rules.citizen_card_months(day)}
    return render(request, "services/card_list.html", {**context, "export": "services:card_export"})


card_export = exports.view("services.citizen_cards")


@capability_required(READ_SERVICES)
def transfer_edit(request, pk):
    person = person_for(request.user, pk)
    capabilities.require(request.user, KEEP_SERVICES)
    transfer = HukouTransfer.objects.filter(person=person).first() or HukouTransfer(person=person)
    form = forms.HukouTransferForm(request.POST or None, instance=transfer)

    def write(data):
        services.hukou_transfer_save(transfer=form.instance, actor=request.user)

    context = {"title": "户籍迁入", "subject": person.name, "back": household_url(person.household_id)}
    return save_or_show(request, form, context, write, f"已登记{person.name}的户籍迁入。", context["back"])


@capability_required(READ_SERVICES)
def card_edit(request, pk):
    person = person_for(request.user, pk)
    capabilities.require(request.user, KEEP_SERVICES)
    card = CitizenCard.objects.filter(person=person).first() or CitizenCard(person=person)
    form = forms.CitizenCardForm(request.POST or None, instance=card)

    def write(data):
        services.citizen_card_save(card=form.instance, actor=request.user)

    context = {"title": "易地扶贫搬迁市民证", "subject": person.name, "back": household_url(person.household_id)}
    return save_or_show(request, form, context, write, f"已登记{person.name}的市民证。", context["back"])


def settlement_section(user, settlement, day):
    overdue = hukou.card_list(user=user, day=day, settlement=settlement, status=CardStatus.OVERDUE)
    counts = hukou.status_counts(user=user, day=day, settlement=settlement)
    return {
        "day": day,
        "settlement": settlement,
        "months": rules.citizen_card_months(day),
        "counts": [(label, counts.get(status, 0)) for status, label in CardStatus.CHOICES],
        "overdue": [(stay, stay.due) for stay in overdue[:PREVIEW]],
        "overdue_status": CardStatus.OVERDUE,
    }


def household_section(user, household, members, day):
    return {
        "day": day,
        "household": household,
        "months": rules.citizen_card_months(day),
        "cards": list(zip(members, hukou.person_cards(members, day), strict=True)),
    }
