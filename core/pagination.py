"""Pagination: page numbers for workers' lists, cursors for feeds that grow at the top."""

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


class CursorPagination(pagination.CursorPagination):
    """For feeds (inbox, check-ins): stable under inserts, no COUNT(*)."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = ("-created_at", "-id")
