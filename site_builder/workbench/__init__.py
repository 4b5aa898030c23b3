"""The 工作台 of `pufa serve`: forms generated from the type declarations, saves through
the one front-matter codec and the checks of `pufa check`, page and print previews, photo
upload and the 生成网站 button. See ``app.create_app``."""
