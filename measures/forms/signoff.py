"""Forms of the sign-off: the chain of approvers, a decision, the memo."""

from typing import ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import people
from ..models import Memo
from ..thai_fields import ThaiDateField
from .fields import ModelChoicesField, RevisionMixin, ThaiTextLimits

__all__ = ["ChainFormSet", "ChainRowForm", "DecisionForm", "MemoForm"]


class ChainRowForm(ThaiTextLimits, forms.Form):
    title = forms.CharField(label=_("ตำแหน่ง"), max_length=200)
    acting_for = forms.CharField(label=_("ปฏิบัติราชการแทน/รักษาราชการแทน"), max_length=200, required=False)
    approvers = ModelChoicesField(
        label=_("ผู้มีสิทธิ์พิจารณา"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, approvers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approvers"].queryset = approvers
        self.fields["approvers"].label_from_instance = people.label  # "นายสมชาย ใจดี (ปลัดเทศบาล)"


MAX_CHAIN_STEPS = 10  # real chains have 2–5 positions (หัวหน้าสำนักปลัด … นายกเทศมนตรี)


class BaseChainFormSet(forms.BaseFormSet):
    default_error_messages: ClassVar[dict] = {
        "missing_management_form": _("ข้อมูลของแบบฟอร์มไม่ครบ กรุณาเปิดหน้านี้ใหม่แล้วกรอกอีกครั้ง"),
        "too_many_forms": _("ลำดับการพิจารณามีได้ไม่เกิน %(num)d ขั้น"),
        "too_few_forms": _("ข้อมูลของแบบฟอร์มไม่ครบ กรุณาเปิดหน้านี้ใหม่แล้วกรอกอีกครั้ง"),
    }


# absolute_max: a posted TOTAL_FORMS of a billion builds at most this many rows (and says so).
ChainFormSet = forms.formset_factory(
    ChainRowForm,
    formset=BaseChainFormSet,
    extra=1,
    can_delete=True,
    can_order=True,
    max_num=MAX_CHAIN_STEPS,
    absolute_max=MAX_CHAIN_STEPS,
    validate_max=True,
)


class DecisionForm(ThaiTextLimits, forms.Form):
    comment = forms.CharField(
        label=_("ความเห็น/ข้อเสนอแนะ"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("ไม่บังคับเมื่อเห็นชอบ แต่ต้องระบุเมื่อส่งกลับให้แก้ไข"),
    )


class MemoForm(RevisionMixin, forms.ModelForm):
    """The memo in the order it prints (บันทึกข้อความ): the head, the three parts of the body with the
    author's own headings, the closing and the author."""

    date = ThaiDateField(label=_("วันที่"), required=False)

    # The fields of each group of the page, in their printed order (templates/measures/memo_form.html).
    GROUPS = (
        (_("หัวบันทึก"), ("department", "number", "date", "subject", "to", "attachments")),
        (_("ส่วนที่ ๑"), ("background_heading", "background")),
        (_("ส่วนที่ ๒"), ("facts_heading", "facts")),
        (_("ส่วนที่ ๓"), ("proposal_heading", "proposal")),
        (_("ท้ายบันทึก"), ("closing", "author_name", "author_position")),
    )
    HEADINGS = ("background_heading", "facts_heading", "proposal_heading")

    class Meta:
        model = Memo
        fields = list(Memo.CONTENT_FIELDS)
        labels = {
            "number": _("ที่ (เลขที่หนังสือ)"),
            "background_heading": _("หัวข้อ"),
            "background": _("ข้อความ"),
            "facts_heading": _("หัวข้อ"),
            "facts": _("ข้อความ"),
            "proposal_heading": _("หัวข้อ"),
            "proposal": _("ข้อความ"),
        }
        help_texts = {
            "number": _("เช่น กจ ๕๓๐๐๑/๕๐ เว้นว่างได้ถ้ายังไม่ได้ออกเลข"),
            "to": _("ตำแหน่งของผู้รับ เช่น นายกเทศมนตรี"),
            "background_heading": _(
                "เช่น เรื่องเดิม ระบบใส่เลข ๑. ๒. ๓. ให้ตามลำดับที่พิมพ์ ถ้าพิมพ์เลขเองไว้ (เช่น ๑. เรื่องเดิม) จะใช้ตามที่พิมพ์"
            ),
            "background": _("ส่วนที่ไม่มีข้อความจะไม่พิมพ์ และเลขของส่วนถัดไปจะเลื่อนขึ้นมา ขึ้นบรรทัดใหม่เพื่อเริ่มย่อหน้าใหม่"),
            "facts_heading": _("เช่น ข้อเท็จจริง เว้นว่างได้ถ้าไม่ต้องการหัวข้อ"),
            "proposal_heading": _("เช่น ข้อเสนอ หรือ ข้อพิจารณา"),
            "closing": _("เช่น จึงเรียนมาเพื่อโปรดพิจารณา"),
        }
        widgets = {
            "background": forms.Textarea(attrs={"rows": 5}),
            "facts": forms.Textarea(attrs={"rows": 5}),
            "proposal": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A part may have no heading: it then prints as plain paragraphs, unnumbered.
        for name in self.HEADINGS:
            self.fields[name].required = False

    def groups(self):
        """(legend, bound fields) of each group of the page."""
        return [(legend, [self[name] for name in names]) for legend, names in self.GROUPS]
