from django.shortcuts import render

from aluna.accounts.roles import Role
from aluna.core.access import role_required


@role_required(Role.ADVOCACY, Role.COORDINATION)
def index(request):
    return render(request, "advocacy/index.html")
