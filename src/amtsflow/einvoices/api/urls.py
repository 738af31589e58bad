from rest_framework.routers import SimpleRouter

from amtsflow.einvoices.api import export, views

router = SimpleRouter(trailing_slash=True)
router.register("invoices", views.InvoiceViewSet, basename="invoice")
router.register("invoice-receipts", views.ReceiptViewSet, basename="invoice-receipt")
router.register("leitweg-routes", views.RouteViewSet, basename="leitweg-route")
router.register("booking-batches", export.BookingBatchViewSet, basename="booking-batch")

urlpatterns = router.urls
