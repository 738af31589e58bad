"""Amtsflow: the back office of German municipalities, from the file to the algorithm."""

from amtsflow.conf.celery import app as celery_app

__all__ = ["celery_app"]
