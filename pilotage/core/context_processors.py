from django.conf import settings
from django.utils.functional import SimpleLazyObject

from pilotage.core.navigation import menu_for, menu_groups


def platform(request):
    user = getattr(request, "user", None)
    menu = menu_for(user) if user is not None and user.is_authenticated else []
    return {
        "platform_name": settings.PLATFORM_NAME,
        "demo_banner": settings.DEMO_BANNER,
        "two_factor_demo_exempt": settings.TWO_FACTOR_DEMO_EXEMPT,
        "menu": menu,
        "menu_groups": menu_groups(menu),
        # Counted only where a page draws the bell (one query), not for partials.
        "unread_notices": SimpleLazyObject(lambda: _unread(user)),
    }


def _unread(user) -> int:
    from pilotage.core.models import Notification

    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at=None).count()
