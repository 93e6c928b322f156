"""factory_boy factories for the domain. Frameworks come from the real fixture files."""

import factory
from django.contrib.auth import get_user_model

from measures.models import Measure, MeasuresDocument, Membership, Organisation, Unit
from measures.thai import fiscal_year_bounds


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "ทดสอบ"
    last_name = factory.Sequence(lambda n: f"ผู้ใช้{n}")
    password = factory.django.Password("pass-for-tests-1")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"เทศบาลตำบลทดสอบ{n}")
    kind = Organisation.Kind.MUNICIPALITY_SUBDISTRICT
    district = "เมือง"
    province = "นครปฐม"
    slug = factory.Sequence(lambda n: f"test-org-{n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"กองทดสอบ{n}")
    kind = Unit.Kind.DIVISION


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.OFFICER


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeasuresDocument

    organisation = factory.SubFactory(OrganisationFactory)
    fiscal_year = 2566
    title = factory.LazyAttribute(lambda d: f"มาตรการส่งเสริมคุณธรรมและความโปร่งใส ปีงบประมาณ {d.fiscal_year}")
    basis_framework = factory.LazyAttribute(
        lambda d: (
            __import__("measures.models", fromlist=["Framework"])
            .Framework.objects.filter(year=d.fiscal_year - 1)
            .first()
        )
    )


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure
        skip_postgeneration_save = True

    document = factory.SubFactory(DocumentFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"มาตรการทดสอบที่ {n}")
    period_start = factory.LazyAttribute(lambda m: fiscal_year_bounds(m.document.fiscal_year)[0])
    period_end = factory.LazyAttribute(lambda m: fiscal_year_bounds(m.document.fiscal_year)[1])

    @factory.post_generation
    def units(self, create, extracted, **kwargs):
        if create and extracted:
            self.units.set(extracted)
