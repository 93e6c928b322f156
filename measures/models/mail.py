"""E-mail the portal owes someone: kept until the mail server has taken it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OutgoingEmailQuerySet(models.QuerySet):
    def undelivered(self):
        return self.filter(sent_at__isnull=True)


class OutgoingEmail(models.Model):
    """One message to one address. Written before the first attempt, so a failed send is retried, not lost."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ผู้รับ"),
    )
    to_address = models.EmailField(_("อีเมลผู้รับ"))
    template = models.CharField(_("แบบข้อความ"), max_length=50)
    subject = models.CharField(_("เรื่อง"), max_length=300)
    body = models.TextField(_("ข้อความ"))
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    sent_at = models.DateTimeField(_("ส่งสำเร็จเมื่อ"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("จำนวนครั้งที่พยายามส่ง"), default=0)
    last_error = models.TextField(_("ข้อผิดพลาดล่าสุด"), blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("อีเมลขาออก")
        verbose_name_plural = _("อีเมลขาออก")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["created_at"], condition=Q(sent_at__isnull=True), name="outgoing_email_undelivered"),
        ]

    def __str__(self) -> str:
        return f"{self.to_address}: {self.subject}"
