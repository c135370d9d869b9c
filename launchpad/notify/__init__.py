"""Sending what launchpad writes (daily reports, release notices) to the client's chat group
through a WeCom, DingTalk or Feishu robot, by way of an outbox in the store, with the
clipboard as the fallback.

Import the modules by name (`launchpad.notify.outbox`, `.send`, …): this file imports nothing,
because `launchpad.store.migrations` reads `launchpad.notify.schema` while the store is loading.
"""
