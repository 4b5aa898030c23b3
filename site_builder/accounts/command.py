"""`pufa users add|remove|passwd|list`: accounts of the 工作台, from the command line.

Passwords are never arguments: they are asked for on the terminal (not echoed, twice), or
read as the first line of standard input when it is not a terminal (for scripts).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from .sessions import SessionStore
from .users import ROLE_HELP, ROLES, AccountError, UserStore


def read_password(prompt: str = "密码：") -> str:
    """A password from the terminal (asked twice) or the first line of standard input."""
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    first = getpass.getpass(prompt)
    again = getpass.getpass("再输入一遍：")
    if first != again:
        raise AccountError("两次输入的密码不一样，没有修改")
    return first


def run(args: argparse.Namespace) -> int:
    """Carry out one `pufa users` action; return the exit code."""
    state = Path(args.state)
    users = UserStore(state)
    action = args.action
    try:
        if action == "list":
            listed = users.all()
            if not listed:
                print("还没有账号。添加：pufa users add 姓名 --role 管理员")
                return 0
            for u in listed.values():
                print(f"{u.name}\t{u.role}\t创建于 {u.created}")
            return 0
        if not args.name:
            raise AccountError("请写上账号名，如 pufa users add 张三 --role 编辑")
        if action == "add":
            role = args.role or ""
            if role not in ROLES:
                choices = "；".join(f"{r}：{ROLE_HELP[r]}" for r in ROLES)
                raise AccountError(f"请用 --role 选择角色（{choices}）")
            if sys.stdin.isatty():
                print(f"为“{args.name}”（{role}）设置密码，至少 10 位：")
            user = users.add(args.name, role, read_password())
            print(f"已添加账号“{user.name}”（{user.role}）。")
        elif action == "passwd":
            if users.get(args.name) is None:
                raise AccountError(f"没有账号“{args.name}”")
            if sys.stdin.isatty():
                print(f"为“{args.name}”设置新密码，至少 10 位：")
            users.set_password(args.name, read_password("新密码："))
            SessionStore(state, users).end_user(args.name)
            print(f"已修改“{args.name}”的密码；这个账号已登录的地方都要重新登录。")
        elif action == "remove":
            users.remove(args.name)
            SessionStore(state, users).end_user(args.name)
            print(f"已删除账号“{args.name}”。")
    except AccountError as exc:
        print(f"没有完成：{exc}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, EOFError):
        print("\n已取消。", file=sys.stderr)
        return 1
    return 0


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """The `users` subcommand's arguments (called by cli.parser())."""
    us = sub.add_parser(
        "users", help="工作台的账号：添加、删除、改密码、列出（add|remove|passwd|list）"
    )
    us.add_argument("action", choices=("add", "remove", "passwd", "list"), help="做什么")
    us.add_argument("name", nargs="?", help="账号名（提交记录和审核记录里显示的名字），如 张三")
    us.add_argument(
        "--role",
        choices=ROLES,
        help="角色：" + "；".join(f"{r}：{h}" for r, h in ROLE_HELP.items()),
    )
    us.add_argument(
        "--state", type=Path, default=Path(".pufa-state"), help="状态文件夹（默认 .pufa-state）"
    )
    return us
