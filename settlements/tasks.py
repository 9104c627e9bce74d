"""Scheduled housekeeping jobs of the core. Each job only calls a service."""

from celery import shared_task

from . import services


@shared_task
def purge_expired_sessions() -> int:
    return services.sessions_purge_expired()
