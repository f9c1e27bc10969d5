// The entry page: focus the error summary after a refused form; while queued, renew the caller's place
// with a heartbeat and show their own place, time waited and the clinic's messages as they come due.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
  const queue = document.getElementById("queue");
  if (queue) keepPlace(queue);
});

function keepPlace(queue) {
  const every = Math.max(500, Number(queue.dataset.heartbeatSeconds) * 1000);
  const beat = async () => {
    try {
      const answer = await fetch(queue.dataset.heartbeatUrl, {
        method: "POST", credentials: "same-origin", headers: {Accept: "application/json"},
      });
      if (answer.status === 200) {
        show(await answer.json());
      } else if (answer.status === 404 || answer.status === 410) {
        window.location.reload();  // no longer queued, or the link changed: the page says which
        return;
      }
    } catch (error) {
      // Offline for a moment: the place is kept until it expires, so simply try again.
    }
    window.setTimeout(beat, every);
  };
  window.setTimeout(beat, every);
}

function setText(id, text) {
  const element = document.getElementById(id);
  if (element && element.textContent !== text) element.textContent = text;
}

function show(status) {
  if (status.place !== null) setText("place-number", String(status.place));
  setText("waited", status.waited);
  const notice = document.getElementById("notice");
  notice.hidden = !status.notice;
  setText("notice", status.notice || "");
  const list = document.getElementById("messages");
  for (const text of status.messages.slice(list.children.length)) {
    const item = document.createElement("li");
    item.textContent = text;
    list.appendChild(item);
  }
}
