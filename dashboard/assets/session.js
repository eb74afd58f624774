// Sessions in the browser (dashboard/access/): a callback answered 401 means the session ended (it
// expired, the account was disabled, the kiosk's token revoked), so the page reloads and the server
// either signs a kiosk in again by the token in its URL or shows the sign-in page. Signing out is a POST
// carrying the CSRF token, as every state-changing request must.
(function () {
  const send = window.fetch.bind(window);
  let reloading = false;

  function csrfToken() {
    const found = document.cookie.match(/(?:^|;\s*)_csrf_token=([^;]*)/);
    return found ? decodeURIComponent(found[1]) : "";
  }

  window.fetch = function (resource, options) {
    return send(resource, options).then((response) => {
      if (response.status === 401 && !reloading && String(resource).includes("_dash-")) {
        reloading = true;
        window.location.reload();
      }
      return response;
    });
  };

  document.addEventListener("click", (event) => {
    const button = event.target.closest ? event.target.closest(".sign-out") : null;
    if (!button) {
      return;
    }
    event.preventDefault();
    send(button.dataset.action, {
      method: "POST", credentials: "same-origin", headers: {"X-CSRFToken": csrfToken()},
    }).then(() => window.location.assign(button.dataset.done));
  });
})();
