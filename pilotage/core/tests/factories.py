import factory

from pilotage.core.models import (
    ApiToken,
    Membership,
    Notification,
    NotificationPreference,
    Organisation,
    User,
    hash_token,
)
from pilotage.core.roles import OrganisationKind, Role
from pilotage.core.testing import owned_object_factory


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("acronym",)

    acronym = factory.Sequence(lambda n: f"ORG{n}")
    name = factory.LazyAttribute(lambda o: f"Organisation {o.acronym}")
    kind = OrganisationKind.CTI
    city = "Casablanca"
    region = "06"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@test.example")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.CTI_STAFF


def member(organisation: Organisation, role: str, **fields) -> User:
    user = UserFactory(**fields)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


def api_token(user: User, name: str = "script") -> str:
    prefix, key = ApiToken.new_key()
    ApiToken.objects.create(user=user, name=name, prefix=prefix, key_hash=hash_token(key))
    return key


# What the access matrix uses to make "a row belonging to CTI A" of each model.
@owned_object_factory(Organisation)
def _owned_organisation(cti: Organisation) -> Organisation:
    return cti


@owned_object_factory(User)
def _owned_user(cti: Organisation) -> User:
    return member(cti, Role.CTI_STAFF)


@owned_object_factory(Membership)
def _owned_membership(cti: Organisation) -> Membership:
    return MembershipFactory(organisation=cti, role=Role.CTI_STAFF)


@owned_object_factory(ApiToken)
def _owned_token(cti: Organisation) -> ApiToken:
    user = member(cti, Role.CTI_MANAGER)
    api_token(user)
    return user.api_tokens.get()


@owned_object_factory(Notification)
def _owned_notification(cti: Organisation) -> Notification:
    return Notification.objects.create(
        recipient=member(cti, Role.CTI_MANAGER), kind="values_returned", subject="s",
        params={"agreement": "CO-1", "period": "2024", "count": 1}, link="/",
    )  # fmt: skip


@owned_object_factory(NotificationPreference)
def _owned_notification_preference(cti: Organisation) -> NotificationPreference:
    return NotificationPreference.objects.create(
        user=member(cti, Role.CTI_MANAGER), kind="values_returned", by_email=False
    )
