// imurep live page: follows the session over a WebSocket, speaks and sounds the cues.
// Read-only: nothing here can start, stop or change the session. Nothing is fetched from
// anywhere but the imurep server that served this page (no fonts, scripts or voices).
(function () {
  'use strict';

  // Test hooks: every cue in the order it came (spoken or not), the hold bar as drawn, each rep's
  // delay from the pipeline's event to the page drawing it, and the alerts shown.
  var cues = window.imurepCues = [];
  var holdTrace = window.imurepHold = [];
  var shown = window.imurepShown = [];
  var alerts = window.imurepAlerts = [];
  window.imurepState = null;

  var base = location.pathname.replace(/[^/]*$/, '');
  var session = null;  // session_id of the messages seen
  var lastSeq = -1;
  var retryMs = 1000;
  var serverLost = false;
  var audio = null;
  var soundOn = false;
  var volume = Number(localStorage.getItem('imurep-volume') || '80') / 100;

  function $(id) { return document.getElementById(id); }

  // -- drawing -----------------------------------------------------------------------------
  function sideName(label) {
    return label === 'left' ? '◀ LEFT' : label === 'right' ? 'RIGHT ▶' : 'REPS';
  }

  function drawCounts(m) {
    var box = $('counts');
    var key = m.counts.map(function (c) { return c.label; }).join(',');
    if (box.getAttribute('data-labels') !== key) {
      box.setAttribute('data-labels', key);
      box.textContent = '';
      m.counts.forEach(function (c) {
        var div = document.createElement('div');
        div.className = 'count ' + c.label;
        div.id = 'count-' + c.label;
        div.innerHTML = '<div class="side"></div><div class="num"><span class="n">0</span>' +
          '<span class="of"></span></div><div class="bar"><div class="fill"></div></div>' +
          '<div class="now">moving now</div>';
        div.querySelector('.side').textContent = sideName(c.label);
        box.appendChild(div);
      });
    }
    m.counts.forEach(function (c) {
      var div = $('count-' + c.label);
      div.querySelector('.n').textContent = String(c.count);
      div.querySelector('.of').textContent = m.target_reps ? ' / ' + m.target_reps : '';
      var frac = m.target_reps ? Math.min(1, c.count / m.target_reps) : 0;
      div.querySelector('.fill').style.width = (100 * frac).toFixed(1) + '%';
      div.classList.toggle('done', m.target_reps > 0 && c.count >= m.target_reps);
      var moving = m.set_open && m.moving_side === c.label;
      div.classList.toggle('moving', moving);

    });
  }

  function drawHold(m) {
    var frac = Math.min(1, m.hold_s / m.one_breath_s);
    var bar = document.querySelector('.hold-bar');
    $('hold-fill').style.width = (100 * frac).toFixed(1) + '%';
    bar.setAttribute('aria-valuenow', String(Math.round(100 * frac)));
    bar.classList.toggle('full', frac >= 1);
    var text = $('hold-text');
    text.textContent = frac >= 1 ? m.hold_s.toFixed(1) + ' s: breathe out, come back'
      : m.hold_s.toFixed(1) + ' s of ' + m.one_breath_s + ' s';
    text.classList.toggle('full', frac >= 1);
    if (!holdTrace.length || holdTrace[holdTrace.length - 1] !== frac) holdTrace.push(frac);
  }

  function drawLastRep(m) {
    var r = m.last_rep;
    $('last-rep').textContent = r === null ? 'none yet'
      : '#' + r.index + (r.side ? ' ' + r.side.toUpperCase() : '') + ' · range ' + Math.round(r.range_deg) +
        '° · hold ' + r.hold_s.toFixed(1) + ' s' + (r.hold_s < 0.5 ? ' (no hold)' : '');
  }

  function quality(link) {
    if (link.loss_percent < 1) return 'good';
    if (link.loss_percent < 5) return 'some gaps';
    return 'poor';
  }

  function drawLink(m) {
    var l = m.link;
    var state = $('link-state');
    var text, cls;
    if (!l.connected) { text = 'link: LOST, reconnecting'; cls = 'bad'; }
    else if (l.stalled) { text = 'link: up, sensor NOT SENDING'; cls = 'bad'; }
    else if (m.status === 'waiting') { text = 'link: waiting for data'; cls = 'warn'; }
    else { text = 'link: connected'; cls = 'ok'; }
    if (l.reconnects) text += ' · dropped ' + l.reconnects + '×';
    state.textContent = text;
    state.className = 'state ' + cls;
    $('quality').textContent = 'data: ' + quality(l) + ' · ' + l.rate_hz.toFixed(0) + ' Hz · loss ' +
      l.loss_percent.toFixed(1) + ' %' + (l.detail ? ' · ' + l.detail : '');
    if (serverLost) return;
    if (l.connected && !l.stalled && m.status !== 'ended' && Date.now() < noticeUntil) return;
    if (!l.connected) banner('LINK LOST: keep still, reconnecting…', 'alert');
    else if (l.stalled) banner('SENSOR NOT SENDING: check the band', 'alert');
    else if (m.status === 'ended') banner('Session finished: ' + m.session_reps + ' reps', 'note');
    else banner(null);
  }

  // A short outage may be over before a message shows it: its cues still put it on the page a while.
  var noticeUntil = 0;
  var NOTICES = {
    link_lost: ['LINK LOST: keep still, reconnecting…', 'alert', 3000],
    link_back: ['Link back: carry on', 'note', 4000],
    sensor_stopped: ['SENSOR NOT SENDING: check the band', 'alert', 3000],
    sensor_back: ['Sensor sending again: carry on', 'note', 4000]
  };

  function notice(kind) {
    var n = NOTICES[kind];
    if (!n) return;
    banner(n[0], n[1]);
    noticeUntil = Date.now() + n[2];
    setTimeout(function () { if (window.imurepState) drawLink(window.imurepState); }, n[2] + 50);
  }

  function banner(text, cls) {
    var b = $('banner');
    if (text === null) { b.hidden = true; b.textContent = ''; return; }
    if (b.hidden || b.textContent !== text) {
      alerts.push(text);
      b.textContent = text;
      b.className = cls;
      b.hidden = false;
    }
  }

  // A movement that waits for the next one to confirm it: shown apart, the counts never go down.
  function drawPending(m) {
    var p = $('pending');
    var n = m.pending_reps || 0;
    p.hidden = n === 0;
    p.textContent = n === 0 ? '' : '+' + n + (n === 1 ? ' movement' : ' movements') + ' being checked';
  }

  function draw(m) {
    window.imurepState = m;
    $('exercise-name').textContent = m.exercise === null ? 'waiting for a set'
      : m.set_open ? m.exercise : m.exercise + ': set finished';
    $('posture').textContent = m.posture;
    $('source').textContent = m.source;
    $('session-status').textContent = m.status === 'ended' ? 'session finished'
      : m.status === 'waiting' ? 'waiting for the sensor' : 'live';
    drawCounts(m);
    drawPending(m);
    drawHold(m);
    drawLastRep(m);
    drawLink(m);
  }

  // -- sound -------------------------------------------------------------------------------
  var TONES = {  // [frequency Hz, duration s] in turn
    rep: [[660, 0.12]],
    hold: [[880, 0.18], [660, 0.3]],
    target: [[523, 0.15], [659, 0.15], [784, 0.3]],
    link_lost: [[220, 0.3], [0, 0.1], [220, 0.3]],
    sensor_stopped: [[220, 0.3], [0, 0.1], [220, 0.3]],
    server_lost: [[220, 0.5]],
    link_back: [[440, 0.12], [660, 0.12]],
    sensor_back: [[440, 0.12], [660, 0.12]],
    end: [[784, 0.15], [523, 0.3]]
  };

  function tone(kind) {
    if (!audio || !soundOn || volume <= 0) return false;
    var t = audio.currentTime + 0.01;
    (TONES[kind] || [[660, 0.12]]).forEach(function (step) {
      if (step[0] > 0) {
        var osc = audio.createOscillator();
        var gain = audio.createGain();
        osc.frequency.value = step[0];
        gain.gain.setValueAtTime(0.0001, t);
        gain.gain.exponentialRampToValueAtTime(Math.max(0.0002, 0.5 * volume), t + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, t + step[1]);
        osc.connect(gain).connect(audio.destination);
        osc.start(t);
        osc.stop(t + step[1] + 0.02);
      }
      t += step[1];
    });
    return true;
  }

  function localVoice() {
    if (!('speechSynthesis' in window)) return null;
    var voices = window.speechSynthesis.getVoices().filter(function (v) { return v.localService; });
    var lang = (navigator.language || 'en').slice(0, 2);
    return voices.filter(function (v) { return v.lang.slice(0, 2) === 'en'; })[0] ||
      voices.filter(function (v) { return v.lang.slice(0, 2) === lang; })[0] || voices[0] || null;
  }

  function speak(text) {
    if (!soundOn || volume <= 0) return false;
    var voice = localVoice();
    if (voice === null) return false;  // only voices on this device: none is fetched from a network
    var u = new SpeechSynthesisUtterance(text);
    u.voice = voice;
    u.lang = voice.lang;
    u.volume = volume;
    window.speechSynthesis.speak(u);
    return true;
  }

  function cue(c, seq) {
    var entry = { kind: c.kind, text: c.text, rep_index: c.rep_index, seq: seq, at_unix_ms: Date.now() };
    entry.sounded = tone(c.kind);
    entry.spoken = speak(c.text);
    cues.push(entry);
    notice(c.kind);
  }

  function drawSoundButton() {
    var b = $('sound');
    b.setAttribute('aria-pressed', soundOn ? 'true' : 'false');
    b.textContent = soundOn ? 'Sound on: tap to mute' : 'Sound off: tap to turn on';
    var note = $('voice-note');
    if (!soundOn) note.textContent = '';
    else note.textContent = localVoice() === null ? 'no voice on this device: tones only' : 'voice: ' + localVoice().name;
  }

  $('sound').addEventListener('click', function () {
    soundOn = !soundOn;
    if (soundOn && !audio && window.AudioContext) audio = new window.AudioContext();
    if (soundOn && audio && audio.state === 'suspended') audio.resume();
    if (!soundOn && 'speechSynthesis' in window) window.speechSynthesis.cancel();
    drawSoundButton();
  });
  $('volume').value = String(Math.round(volume * 100));
  $('volume').addEventListener('input', function (ev) {
    volume = Number(ev.target.value) / 100;
    localStorage.setItem('imurep-volume', String(ev.target.value));
  });
  if ('speechSynthesis' in window) window.speechSynthesis.onvoiceschanged = drawSoundButton;

  // -- the stream --------------------------------------------------------------------------
  function receive(m, live) {
    var receivedMs = Date.now();
    if (m.session_id !== session) { session = m.session_id; lastSeq = -1; }
    if (m.seq < lastSeq) return;
    var fresh = live && m.seq > lastSeq;
    lastSeq = m.seq;
    if (serverLost) { serverLost = false; banner(null); }
    draw(m);
    if (!fresh) return;
    m.cues.forEach(function (c) { cue(c, m.seq); });
    var reps = m.cues.filter(function (c) { return c.kind === 'rep'; });
    if (reps.length) {
      // Shown once the frame with it has been painted: the next frame has begun (an upper bound,
      // up to one frame late).
      requestAnimationFrame(function () {
        requestAnimationFrame(function () {
          var now = Date.now();
          reps.forEach(function (c) {
            shown.push({ rep_index: c.rep_index, seq: m.seq, event_unix_ms: m.event_unix_ms,
              received_unix_ms: receivedMs, shown_unix_ms: now });
          });
        });
      });
    }
  }

  function lost(why) {
    var ended = window.imurepState !== null && window.imurepState.status === 'ended';
    if (!serverLost && !ended) cue({ kind: 'server_lost', text: 'imurep has stopped', rep_index: null }, lastSeq);
    serverLost = true;
    banner(ended ? 'Session finished; this page resumes when imurep starts again' : why, ended ? 'note' : 'alert');
    $('session-status').textContent = 'not connected: retrying';
    setTimeout(connect, retryMs);
  }

  function connect() {
    fetch(base + 'state', { cache: 'no-store' }).then(function (r) {
      if (r.status === 403) throw new Error('refused');
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    }).then(function (snapshot) {
      receive(snapshot, false);
      openSocket();
    }, function (err) {
      lost(err.message === 'refused' ? 'REFUSED: open the new address imurep printed'
        : 'imurep NOT REACHABLE: retrying');
    });
  }

  function openSocket() {
    var ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + base + 'ws');
    var first = true;
    ws.onmessage = function (ev) {
      // The first message is the snapshot: its cues (none) are old news.
      receive(JSON.parse(ev.data), !first);
      first = false;
    };
    ws.onclose = function () { lost('imurep NOT REACHABLE: retrying'); };
  }

  drawSoundButton();
  connect();
}());
