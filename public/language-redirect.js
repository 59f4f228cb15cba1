// Picks /de/ or /en/ from the browser's preferred languages; German is the default.
(function () {
  var langs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'de'];
  var target = '/de/';
  for (var i = 0; i < langs.length; i++) {
    var l = String(langs[i]).toLowerCase();
    if (l.indexOf('de') === 0) { target = '/de/'; break; }
    if (l.indexOf('en') === 0) { target = '/en/'; break; }
  }
  location.replace(target);
})();
