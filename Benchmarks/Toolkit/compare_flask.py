# The comparison API (Docs/toolkit-comparison.md) on Flask.
import threading
from flask import Flask, abort, request, url_for

app = Flask(__name__)
lock, notes, next_id = threading.Lock(), {}, 1

@app.get("/notes")
def list_notes():
    return sorted(notes.values(), key=lambda note: note["id"])

@app.post("/notes")
def create_note():
    global next_id
    title = request.get_json().get("title", "")
    if not isinstance(title, str) or not title:
        return {"errors": {"title": "must not be empty"}}, 422
    with lock:
        note = notes[next_id] = {"id": next_id, "title": title}
        next_id += 1
    return note, 201, {"Location": url_for("show_note", id=note["id"])}

@app.get("/notes/<int:id>")
def show_note(id):
    return notes.get(id) or abort(404)

@app.delete("/notes/<int:id>")
def delete_note(id):
    if notes.pop(id, None) is None:
        abort(404)
    return "", 204
