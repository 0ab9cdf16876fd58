from django.conf import settings

from pilotage.core.navigation import menu_for, menu_groups


def platform(request):
    user = getattr(request, "user", None)
    menu = menu_for(user) if user is not None and user.is_authenticated else []
    return {
        "platform_name": settings.PLATFORM_NAME,
        "demo_banner": settings.DEMO_BANNER,
        "menu": menu,
        "menu_groups": menu_groups(menu),
    }
