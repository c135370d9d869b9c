"""Client-facing reports built on the store: the end-of-day summary (text for WeChat,
Markdown, HTML, xlsx), notices such as the release notice, and incident postmortems — in
Chinese by default, English on request, from templates a workspace can override."""
