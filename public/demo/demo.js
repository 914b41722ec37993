// The Earmark Demo: episode page behaviour. No dependencies, no external resources.
(function () {
  'use strict';

  var audio = document.getElementById('player');
  var button = document.getElementById('play');
  if (!audio || !button) return;
  var label = button.querySelector('.label') || button;

  var TITLE = 'Why we forget what we hear (and what helps)';
  var ARTIST = 'Ada & Ben';
  var ALBUM = 'The Earmark Demo';

  function setMediaSession() {
    if (!('mediaSession' in navigator) || typeof MediaMetadata === 'undefined') return;
    navigator.mediaSession.metadata = new MediaMetadata({
      title: TITLE,
      artist: ARTIST,
      album: ALBUM,
      artwork: [{ src: new URL('artwork.png', location.href).href, sizes: '600x600', type: 'image/png' }],
    });
    var handlers = {
      play: function () { audio.play(); },
      pause: function () { audio.pause(); },
      seekbackward: function (d) { audio.currentTime = Math.max(0, audio.currentTime - ((d && d.seekOffset) || 15)); },
      seekforward: function (d) { audio.currentTime = Math.min(audio.duration || Infinity, audio.currentTime + ((d && d.seekOffset) || 30)); },
      seekto: function (d) { if (d && typeof d.seekTime === 'number') audio.currentTime = d.seekTime; },
    };
    Object.keys(handlers).forEach(function (action) {
      try {
        navigator.mediaSession.setActionHandler(action, handlers[action]);
      } catch (e) {
        /* action not supported by this browser */
      }
    });
  }

  function render() {
    var playing = !audio.paused && !audio.ended;
    button.classList.toggle('is-playing', playing);
    button.setAttribute('aria-pressed', playing ? 'true' : 'false');
    label.textContent = playing ? 'Pause' : audio.ended ? 'Play again' : audio.currentTime > 0 ? 'Resume' : 'Play episode';
  }

  button.addEventListener('click', function () {
    if (audio.paused || audio.ended) {
      var p = audio.play();
      if (p && typeof p.catch === 'function') {
        p.catch(function (err) {
          console.warn('[earmark-demo] playback failed:', err);
          render();
        });
      }
    } else {
      audio.pause();
    }
  });

  audio.addEventListener('play', setMediaSession);
  ['play', 'playing', 'pause', 'ended', 'emptied'].forEach(function (type) {
    audio.addEventListener(type, render);
  });
  render();
})();
