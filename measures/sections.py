"""Writes of the optional sections of a measures document: its title with the introductions (of
the document, of its analysis and of its measures) and the limitations of each ITA tool.

Each write follows measures.services: keyword-only arguments, one transaction, the document's
row locked and its status read again under the lock (`require_draft`), who acted recorded in
the history, and a Thai `ServiceError` for a refusal.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from .models import MeasuresDocument, Tool, ToolLimitation
from .services import ServiceError, check_revision, require_draft, stamp

__all__ = ["document_texts_update", "limitation_delete", "limitation_save", "tools_for_limitations"]


@transaction.atomic
def document_texts_update(
    *,
    document: MeasuresDocument,
    by,
    revision: int | None,
    title: str,
    introduction: str,
    analysis_introduction: str = "",
    measures_introduction: str = "",
) -> MeasuresDocument:
    """The title and the three introductions, refused if the document changed since the form was opened."""
    check_revision(MeasuresDocument, document.pk, revision)
    document.refresh_from_db()
    require_draft(document)
    document.title = title
    document.introduction = introduction
    document.analysis_introduction = analysis_introduction
    document.measures_introduction = measures_introduction
    document.revision += 1
    stamp(document, by)
    document.save(
        update_fields=[
            "title",
            "introduction",
            "analysis_introduction",
            "measures_introduction",
            "revision",
            "updated_at",
        ]
    )
    return document


def tools_for_limitations(document: MeasuresDocument):
    """The tools of the document's basis framework (the ITA year it analyses), in their order."""
    return Tool.objects.filter(framework_id=document.basis_framework_id).order_by("order", "pk")


@transaction.atomic
def limitation_save(
    *, document: MeasuresDocument, by, tool: Tool, text: str, limitation: ToolLimitation | None = None
) -> ToolLimitation:
    """Add the limitations of a tool, or change a limitation's tool or text: one per tool."""
    require_draft(document)
    text = text.strip()
    if not text:
        raise ServiceError(_("กรุณากรอกข้อจำกัด"))
    if document.basis_framework_id is None or tool.framework_id != document.basis_framework_id:
        raise ServiceError(_("เครื่องมือนี้ไม่อยู่ในกรอบการประเมิน ITA ที่เอกสารนี้ใช้วิเคราะห์"))
    if limitation is not None and not _locked(limitation, document):
        raise ServiceError(_("ข้อจำกัดนี้ถูกลบไปแล้ว กรุณาเปิดหน้าเอกสารใหม่"))
    clash = ToolLimitation.objects.filter(document=document, tool=tool).exclude(pk=getattr(limitation, "pk", None))
    if clash.exists():
        raise ServiceError(_("มีข้อจำกัดของเครื่องมือ %(tool)s ในเอกสารนี้แล้ว กรุณาแก้ไขรายการเดิม") % {"tool": tool.code})
    limitation = limitation or ToolLimitation(document=document)
    limitation.tool = tool
    limitation.text = text
    stamp(limitation, by)
    limitation.save()
    return limitation


@transaction.atomic
def limitation_delete(*, limitation: ToolLimitation, by) -> None:
    require_draft(limitation.document)
    if not _locked(limitation, limitation.document):
        return  # deleted meanwhile: nothing left to delete
    stamp(limitation, by)
    limitation.delete()


def _locked(limitation: ToolLimitation, document: MeasuresDocument) -> bool:
    """Lock the limitation's row until the transaction ends; False if it is gone."""
    return ToolLimitation.objects.select_for_update().filter(pk=limitation.pk, document=document).exists()
