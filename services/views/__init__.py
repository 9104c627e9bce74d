"""Pages of 基本公共服务, one module per topic, and the pages that bring the topics together (`pages`).
Persons, households and settlements are read through `for_user`; outside scope is a 404. Pages ask the
capabilities of `services.capabilities`: `read_services` to read, `keep_services` to write (403)."""
