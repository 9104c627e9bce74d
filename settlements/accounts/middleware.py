"""The one gate between a password login and the portal.

After the password, a user may still owe a step (`policy.pending_step`): the code of their authenticator, the
enrolment of one (their role needs a second factor and they have none), or a new password (theirs has expired,
or an administrator set it). Until it is done every page sends them to that step's page; only that page and
logging out answer. The Django superuser is for set-up from the command line: every page refuses it.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from . import policy

MSG_SUPERUSER = (
    "超级管理员账号仅用于系统安装和初始化（在服务器上运行 manage.py 命令），不能登录或使用本平台。"
    "请使用系统管理员、安全管理员或安全审计员账号。"
)

STEP_PAGES = {
    policy.VERIFY: "second_factor_verify",
    policy.ENROL: "second_factor_enrol",
    policy.PASSWORD: "password_change",
}
ALWAYS_OPEN = {"login", "logout"}  # the login page sends a logged-in user on, through this gate


class AccountGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None
        view = request.resolver_match.view_name
        if user.is_superuser and view != "logout":
            raise PermissionDenied(MSG_SUPERUSER)
        if view in ALWAYS_OPEN:
            return None
        step = policy.pending_step(user)
        if step is None or request.resolver_match.view_name == STEP_PAGES[step]:
            return None
        return redirect(_step_url(STEP_PAGES[step], request))


def _step_url(page: str, request) -> str:
    """The step's page; after it, back to the page asked for (when it was a page, not a form's post)."""
    if request.method != "GET":
        return reverse(page)
    return f"{reverse(page)}?{urlencode({'next': request.get_full_path()})}"
