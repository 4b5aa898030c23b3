#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need, when absent and permitted:
# a CJK font (posters, cards), Pango (WeasyPrint), Chromium (page tests), poppler (pdftoppm),
# rclone (pufa publish), nginx and openssh-server (publish and sub-path tests), eSpeak NG
# and LAME (朗读 audio for phones without a Chinese voice).
set -u
missing=()
fc-list :lang=zh 2>/dev/null | grep -q "Noto Sans CJK" || missing+=(fonts-noto-cjk)
ldconfig -p 2>/dev/null | grep -q libpango-1.0 || missing+=(libpango-1.0-0)
ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || missing+=(libpangoft2-1.0-0)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
# 发布上线: rclone sends the site (pufa publish); nginx and OpenSSH's sshd/sftp serve it in tests
command -v rclone >/dev/null 2>&1 || missing+=(rclone)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || missing+=(nginx-light)
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
command -v ssh-keygen >/dev/null 2>&1 || missing+=(openssh-client)
command -v git >/dev/null 2>&1 || missing+=(git)  # 审核与留痕: the history of every change
# 朗读: each case's audio (Mandarin voice cmn-latn-pinyin, MP3); the build notes it if absent
command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
command -v lame >/dev/null 2>&1 || missing+=(lame)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "安装系统软件包：${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo -n"
else
  echo "缺少系统软件包：${missing[*]}。请以管理员身份运行：apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || true
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
