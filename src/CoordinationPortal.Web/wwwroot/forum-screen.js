// The room screen (/forum/{session}/screen): keeps the panels live from the server's event stream, and runs the
// rotation, the countdown and the language turns from the data attributes of the panels' markup, on a 1-s timer,
// without asking the server. Plain script: no library, no eval, no inline script (CSP script-src 'self').
(function () {
  'use strict';

  var screen = document.getElementById('screen');
  if (!screen) {
    return; // a denial page: nothing to keep live
  }

  var content = document.getElementById('screen-content');
  var banner = document.getElementById('screen-banner');
  var closedBox = document.getElementById('screen-closed');
  var url = screen.getAttribute('data-events');
  var source = null;
  var stopped = false;
  var retry = null;

  function currentBody() {
    return content.querySelector('.screen-body');
  }

  function time(value) {
    var t = Date.parse(value || '');
    return isNaN(t) ? 0 : t;
  }

  function panels(body) {
    return (body.getAttribute('data-panels') || '').split(',').filter(function (p) { return p.length > 0; });
  }

  function seconds(body) {
    var s = parseInt(body.getAttribute('data-seconds'), 10);
    return s > 0 ? s : 0;
  }

  function rotating(body) {
    return body.getAttribute('data-rotating') === 'true' && body.getAttribute('data-paused') !== 'true' &&
      panels(body).length > 0 && seconds(body) > 0;
  }

  function step(body, now, every) {
    return Math.floor(Math.max(0, now - time(body.getAttribute('data-since'))) / 1000 / every);
  }

  // The same rule as ScreenState.PanelAt on the server.
  function panelAt(body, now) {
    var preview = body.getAttribute('data-preview');
    if (preview) {
      return preview;
    }

    if (!rotating(body)) {
      return body.getAttribute('data-shown');
    }

    var list = panels(body);
    return list[step(body, now, seconds(body)) % list.length];
  }

  // The same rule as ScreenLanguages.At on the server.
  function languageAt(body, now) {
    var mode = body.getAttribute('data-language');
    if (mode === 'Hindi') {
      return 'hi';
    }

    if (mode !== 'Alternate') {
      return 'en';
    }

    var n = step(body, now, seconds(body) || 20);
    if (rotating(body)) {
      n = Math.floor(n / panels(body).length);
    }

    return n % 2 === 0 ? 'en' : 'hi';
  }

  function two(n) {
    return (n < 10 ? '0' : '') + n;
  }

  function tick() {
    var body = currentBody();
    if (!body) {
      return;
    }

    var now = Date.now();
    var panel = panelAt(body, now);
    var lang = languageAt(body, now);
    Array.prototype.forEach.call(body.querySelectorAll('.screen-lang'), function (div) {
      var hide = div.getAttribute('data-lang') !== lang;
      if (div.hidden !== hide) {
        div.hidden = hide;
      }
    });
    Array.prototype.forEach.call(body.querySelectorAll('section[data-panel]'), function (section) {
      var hide = section.getAttribute('data-panel') !== panel;
      if (section.hidden !== hide) {
        section.hidden = hide;
      }
    });
    if (document.documentElement.lang !== lang) {
      document.documentElement.lang = lang;
    }

    Array.prototype.forEach.call(body.querySelectorAll('[data-countdown]'), function (el) {
      var left = Math.max(0, Math.ceil((time(el.getAttribute('data-countdown')) - now) / 1000));
      var text = two(Math.floor(left / 60)) + ':' + two(left % 60);
      if (el.textContent !== text) {
        el.textContent = text;
      }

      el.classList.toggle('screen-countdown-over', left === 0);
    });
  }

  function showAsOf() {
    var body = currentBody();
    var asOf = body ? body.getAttribute('data-as-of') : '';
    Array.prototype.forEach.call(banner.querySelectorAll('[data-as-of-time]'), function (el) {
      el.textContent = asOf;
    });
  }

  function live(state) {
    screen.setAttribute('data-live', state);
    banner.hidden = state !== 'down';
  }

  function onScreen(event) {
    content.innerHTML = event.data;
    showAsOf();
    tick();
  }

  function onClosed(event) {
    stopped = true;
    if (source) {
      source.close();
    }

    var reason = {};
    try {
      reason = JSON.parse(event.data);
    } catch (e) {
      reason = {};
    }

    Array.prototype.forEach.call(closedBox.querySelectorAll('[data-closed]'), function (p) {
      p.textContent = reason[p.getAttribute('data-closed')] || p.getAttribute('data-default') || '';
    });
    content.hidden = true;
    closedBox.hidden = false;
    screen.setAttribute('data-live', 'closed');
    banner.hidden = true;
  }

  function connect() {
    retry = null;
    if (stopped || !url) {
      return;
    }

    source = new EventSource(url);
    source.addEventListener('open', function () { live('up'); });
    source.addEventListener('screen', onScreen);
    source.addEventListener('closed', onClosed);
    source.addEventListener('error', function () {
      if (stopped) {
        return;
      }

      showAsOf();
      live('down');
      // EventSource reconnects by itself after a dropped stream; a refused one (it is CLOSED then) is tried again here.
      if (source.readyState === EventSource.CLOSED && retry === null) {
        retry = window.setTimeout(connect, 5000);
      }
    });
  }

  tick();
  window.setInterval(tick, 1000);
  connect();
})();
