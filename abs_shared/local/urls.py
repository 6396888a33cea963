"""Member-host pages of the ABS."""

urlpatterns: list = []
