#!/usr/bin/env bash
# Fails when `pufa build` changed content/.published.json (new URLs, or URLs read back from the
# target's record) and that change was not committed: the ledger is what keeps printed QR
# codes answering, so it must live in git, not only on this CI machine.
set -u
ledger="${1:-content/.published.json}"
if [ -n "$(git status --porcelain -- "$ledger")" ]; then
  echo "构建改动了 $ledger（新增了已发布网址），但这个改动没有提交到版本库：" >&2
  git --no-pager diff --stat -- "$ledger" >&2
  echo "请在自己的电脑上运行 pufa build，把 $ledger 和内容一起提交后再推送。本次没有发布。" >&2
  exit 1
fi
echo "已发布网址清单已提交：$ledger"
