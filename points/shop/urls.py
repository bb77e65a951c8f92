from django.urls import path

from config.security import csp_allow
from points.shop import views

# The counter's in-page scanner (qr-scanner) decodes in a Worker made from a Blob URL.
_scanner = csp_allow(worker_src=["'self'", "blob:"])

app_name = "shop"
urlpatterns = [
    path("", views.ShopHomeView.as_view(), name="home"),
    path("vouchers/", views.MyVouchersView.as_view(), name="vouchers"),
    path("vouchers/<int:pk>/", views.VoucherView.as_view(), name="voucher"),
    path(
        "vouchers/<int:pk>/cancel/",
        views.VoucherCancelView.as_view(),
        name="voucher_cancel",
    ),
    path("card/<str:token>/", views.CardUseView.as_view(), name="card"),
    path("statements/", views.StatementsView.as_view(), name="statements"),
    path("manage/", views.ManageView.as_view(), name="manage"),
    path("manage/shops/new/", views.ShopEditView.as_view(), name="shop_new"),
    path("manage/cards/", views.CardsView.as_view(), name="cards"),
    path(
        "manage/cards/<int:pk>/issue/",
        views.CardIssueView.as_view(),
        name="card_issue",
    ),
    path(
        "manage/cards/<int:pk>/revoke/",
        views.CardRevokeView.as_view(),
        name="card_revoke",
    ),
    path("<slug:shop>/", views.ShopView.as_view(), name="shop"),
    path("<slug:shop>/take/", views.VoucherTakeView.as_view(), name="take"),
    path(
        "<slug:shop>/counter/",
        _scanner(views.CounterView.as_view()),
        name="counter",
    ),
    path("<slug:shop>/redeem/", views.CodeRedeemView.as_view(), name="redeem_code"),
    path("<slug:shop>/c/<str:token>/", views.ConfirmView.as_view(), name="confirm"),
    path("<slug:shop>/receipts/<int:pk>/", views.ReceiptView.as_view(), name="receipt"),
    path("<slug:shop>/statement/", views.StatementView.as_view(), name="statement"),
    path(
        "<slug:shop>/statement/print/",
        views.StatementPrintView.as_view(),
        name="statement_print",
    ),
    path(
        "<slug:shop>/statement.xlsx",
        views.StatementExcelView.as_view(),
        name="statement_excel",
    ),
    path(
        "<slug:shop>/statement/settle/",
        views.StatementSettleView.as_view(),
        name="statement_settle",
    ),
    path("<slug:shop>/edit/", views.ShopEditView.as_view(), name="shop_edit"),
    path(
        "<slug:shop>/products/new/",
        views.ProductEditView.as_view(),
        name="product_new",
    ),
    path(
        "<slug:shop>/products/<int:pk>/",
        views.ProductEditView.as_view(),
        name="product_edit",
    ),
    path(
        "<slug:shop>/products/<int:pk>/stock/",
        views.StockChangeView.as_view(),
        name="stock",
    ),
]
