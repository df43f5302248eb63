// Starts Swagger UI on the allauth spec page. A file, not an inline script, so the page
// works under a Content-Security-Policy of script-src 'self'.
(function () {
  var root = document.getElementById("swagger-ui");
  SwaggerUIBundle({
    url: root.dataset.specUrl,
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "StandaloneLayout",
    requestInterceptor: function (request) {
      request.headers["X-CSRFToken"] = root.dataset.csrfToken;
      return request;
    },
  });
})();
