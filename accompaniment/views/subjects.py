from django.shortcuts import render

from aluna.accounts.roles import Role
from aluna.core.access import role_required


@role_required(Role.ACCOMPANIMENT, Role.COORDINATION)
def index(request):
    return render(request, "accompaniment/index.html")
