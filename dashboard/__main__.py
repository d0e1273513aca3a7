"""`python -m dashboard`: serve the dashboard on http://127.0.0.1:8050."""

from dashboard.app import run

if __name__ == "__main__":
    run()
