from django.shortcuts import render

from aluna.accounts.roles import Role
from aluna.core.access import role_required


@role_required(Role.TRAINING, Role.COORDINATION)
def index(request):
    return render(request, "training/index.html")
