"""The long exports read database tuples instead of building each row's objects; the file is the
same either way, choices by their labels, formulas neutralised, dates and amounts the French way."""

from decimal import Decimal

from pilotage.core.exports import export_response
from pilotage.services.models import ServiceDelivery
from pilotage.services.tests.factories import CompanyFactory, DeliveryFactory
from pilotage.services.views import DeliveryList


def _csv(rows) -> str:
    response = export_response("csv", DeliveryList.columns, rows, "deliveries")
    return b"".join(response.streaming_content).decode()


def test_the_direct_path_writes_the_same_file_as_the_objects(cast):
    company = CompanyFactory(name="=HYPERLINK(1)", ice="001561191000066")
    DeliveryFactory(cti=cast.cti_a, company=company, amount_invoiced=Decimal("1234.50"))
    DeliveryFactory(cti=cast.cti_b, satisfaction=None)
    queryset = ServiceDelivery.objects.select_related("cti", "company").order_by("pk")

    direct, objects = _csv(queryset), _csv(list(queryset))

    assert direct == objects
    assert "'=HYPERLINK(1)" in direct and "1234,50" in direct
    assert str(ServiceDelivery.objects.first().get_category_display()) in direct
