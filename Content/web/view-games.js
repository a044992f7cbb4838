// Mini-games (API.md §8): the wheel, the scratch card and the kitten, the odds table, and the fairness proof that
// the browser checks by itself after the seed is rotated.
import { get, post, seg, session, intent, newKey } from './api.js';
import { t } from './i18n.js';
import { h, svg, replace, notice, showError, showOk, busy, title, percent, dateTime, discountText } from './ui.js';
import { draw, matchesCommitment } from './fairness.js';
import { gameIcon, kitten as kittenPicture } from './icons.js';
import { reducedMotion } from './motion.js';

const colors = ['#ff7a59', '#ffc145', '#5bc0eb', '#9bc53d', '#c86bfa', '#fa7faa', '#3ddad7', '#f3a712'];

function oddsTable(game) {
  return h('table', { class: 'table odds', 'data-testid': 'odds' },
    h('caption', {}, t('games.odds')),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('games.prize')), h('th', { scope: 'col' }, t('games.chance')))),
    h('tbody', {}, game.prizes.map((p) => h('tr', { class: p.available === false ? 'unavailable' : null },
      h('td', {}, p.label, p.available === false ? h('small', { class: 'muted' }, ` (${t('games.gone')})`) : null),
      h('td', {}, percent(p.probability))))));
}

export async function list(main) {
  const games = await get('/v1/games');
  replace(main, title(t('games.title')), h('ul', { class: 'game-grid', 'data-testid': 'games' }, games.data.map((g) =>
    h('li', { class: 'card game-card', 'data-game-id': g.id, 'data-kind': g.kind },
      h('a', { href: `#/games/${seg(g.id)}`, class: 'game-link' }, h('span', { class: 'game-icon', 'aria-hidden': 'true' }, (gameIcon[g.kind] || gameIcon.wheel)('icon')),
        h('strong', {}, g.title)),
      h('p', {}, g.description),
      g.plays_left_today !== null && g.plays_left_today !== undefined ? h('p', { class: 'muted' }, t('games.plays_left', { n: g.plays_left_today })) : null))));
}

async function findGame(id) {
  const games = await get('/v1/games');
  const game = games.data.find((g) => g.id === id);
  if (!game) throw Object.assign(new Error('not found'), { code: 'not_found' });
  return game;
}

export async function game(main, { params }) {
  const g = await findGame(params[0]);
  const back = h('p', {}, h('a', { href: '#/games' }, '← ', t('games.title')));
  if (g.kind === 'pet') return pet(main, g, back);
  return chance(main, g, back);
}

// MARK: - plays remembered in this tab for the fairness check
function playsKey(gameId) { return `basar.plays.${session.account?.id}.${gameId}`; }
function storedPlays(gameId) {
  try { return JSON.parse(sessionStorage.getItem(playsKey(gameId)) || '[]'); } catch { return []; }
}
function storePlay(gameId, play) {
  const plays = storedPlays(gameId);
  plays.unshift(play);
  sessionStorage.setItem(playsKey(gameId), JSON.stringify(plays.slice(0, 50)));
}

// MARK: - wheel and scratch card
function wheelSVG(prizes) {
  const n = prizes.length;
  const step = 360 / n;
  const point = (deg, r) => {
    const rad = (deg * Math.PI) / 180;
    return `${(Math.sin(rad) * r).toFixed(3)} ${(-Math.cos(rad) * r).toFixed(3)}`;
  };
  return svg('svg', { viewBox: '-100 -100 200 200', class: 'wheel', role: 'img', 'aria-label': t('games.wheel') },
    prizes.map((p, i) => {
      const a0 = i * step;
      const a1 = (i + 1) * step;
      const mid = a0 + step / 2;
      const label = p.label.length > 16 ? `${p.label.slice(0, 15)}…` : p.label;
      return svg('g', {},
        n === 1 ? svg('circle', { r: 96, fill: colors[0] }) : svg('path', {
          d: `M0 0 L${point(a0, 96)} A96 96 0 ${step > 180 ? 1 : 0} 1 ${point(a1, 96)} Z`,
          fill: p.available === false ? '#ccc' : colors[i % colors.length], stroke: '#fff', 'stroke-width': 1.5,
        }),
        svg('text', { transform: `rotate(${mid}) translate(0 -58) rotate(90)`, 'text-anchor': 'middle', 'dominant-baseline': 'middle', class: 'wheel-label' }, label));
    }),
    svg('circle', { r: 14, class: 'hub' }));
}

async function chance(main, g, back) {
  const result = h('div', { class: 'result', 'aria-live': 'polite', 'data-testid': 'result' });
  const box = notice();
  const clientSeed = h('input', { name: 'client_seed', value: newKey().slice(0, 16), maxlength: 64, autocomplete: 'off', 'data-testid': 'client-seed' });
  const play = h('button', { type: 'button', class: 'primary big-button', 'data-testid': 'play' }, g.kind === 'wheel' ? t('games.spin') : t('games.buy_card'));
  const playsLeft = h('p', { class: 'muted', 'data-testid': 'plays-left' });
  const playIntent = intent();
  let game = g;
  let rotation = 0;
  let stage;
  const fairness = fairnessPanel(g);

  function renderStage() {
    if (game.kind === 'wheel') {
      const wheel = wheelSVG(game.prizes);
      wheel.style.transform = `rotate(${rotation}deg)`;
      stage = h('div', { class: 'wheel-wrap' }, h('div', { class: 'pointer', 'aria-hidden': 'true' }), wheel);
    } else {
      stage = h('div', { class: 'scratch-wrap' }, h('div', { class: 'scratch-card' }, h('span', { class: 'muted' }, t('games.scratch_intro'))));
    }
    playsLeft.textContent = game.plays_left_today !== null && game.plays_left_today !== undefined ? t('games.plays_left', { n: game.plays_left_today }) : '';
    return stage;
  }
  const stageSlot = h('div', {}, renderStage());

  function announce(outcome) {
    const coupon = outcome.coupon;
    replace(result, h('strong', { 'data-testid': 'result-label' }, outcome.label),
      coupon ? h('p', {}, t('games.won_coupon', { what: discountText(coupon) }), ' ',
        h('a', { href: '#/coupons' }, t('coupons.mine'))) : h('p', { class: 'muted' }, t('games.no_coupon')));
    result.dataset.done = 'true';
  }

  function spin(label) {
    return new Promise((resolve) => {
      const prizes = game.prizes;
      const indices = prizes.map((p, i) => (p.label === label ? i : -1)).filter((i) => i >= 0);
      const index = indices.length ? indices[Math.floor(Math.random() * indices.length)] : 0;
      const step = 360 / prizes.length;
      const center = index * step + step / 2 + (Math.random() - 0.5) * step * 0.6;
      const base = rotation + 360 * 5;
      // The pointer is at the top (0°): rotate so the chosen segment's centre ends under it.
      rotation = base + ((((-center - base) % 360) + 360) % 360);
      const wheel = stage.querySelector('.wheel');
      // Screen readers read the landed prize from the picture's name too, not only from the result below.
      wheel.setAttribute('aria-label', `${t('games.wheel')}: ${label}`);
      if (reducedMotion()) { wheel.style.transform = `rotate(${rotation}deg)`; resolve(); return; }
      let done = false;
      const finish = () => { if (!done) { done = true; resolve(); } };
      wheel.addEventListener('transitionend', finish, { once: true });
      setTimeout(finish, 6000);
      void wheel.getBoundingClientRect(); // a fresh element needs its start style computed before the transition
      wheel.classList.add('spinning');
      wheel.style.transform = `rotate(${rotation}deg)`;
    });
  }

  function scratch(outcome) {
    return new Promise((resolve) => {
      const card = h('div', { class: 'scratch-card' }, h('strong', { class: 'scratch-prize' }, outcome.label));
      const canvas = h('canvas', { width: 320, height: 160, class: 'scratch-layer', 'aria-label': t('games.scratch_here'), 'data-testid': 'scratch-canvas' });
      const revealAll = h('button', { type: 'button', class: 'secondary', 'data-testid': 'reveal' }, t('games.reveal'));
      card.append(canvas);
      replace(stage, card, revealAll);
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = '#b8b8c8';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.fillStyle = '#555';
      ctx.font = '20px system-ui, sans-serif';
      ctx.textAlign = 'center';
      ctx.fillText(t('games.scratch_here'), canvas.width / 2, canvas.height / 2 + 7);
      ctx.globalCompositeOperation = 'destination-out';
      let scratching = false;
      let moves = 0;
      let finished = false;
      const done = () => {
        if (finished) return;
        finished = true;
        canvas.classList.add('cleared');
        revealAll.remove();
        resolve();
      };
      const rub = (event) => {
        const rect = canvas.getBoundingClientRect();
        const x = ((event.clientX - rect.left) / rect.width) * canvas.width;
        const y = ((event.clientY - rect.top) / rect.height) * canvas.height;
        ctx.beginPath();
        ctx.arc(x, y, 18, 0, Math.PI * 2);
        ctx.fill();
        moves += 1;
        if (moves % 10 === 0 && clearedShare(ctx, canvas) > 0.5) done();
      };
      canvas.addEventListener('pointerdown', (e) => { scratching = true; canvas.setPointerCapture(e.pointerId); rub(e); });
      canvas.addEventListener('pointermove', (e) => { if (scratching) rub(e); });
      canvas.addEventListener('pointerup', () => { scratching = false; });
      revealAll.addEventListener('click', done);
      revealAll.focus();
    });
  }

  play.addEventListener('click', () => busy(play, async () => {
    box.hidden = true;
    delete result.dataset.done;
    result.replaceChildren();
    try {
      // The prizes in the draw right before the play are the ones the proof is checked against.
      game = await findGame(g.id);
      const inDraw = game.prizes.filter((p) => p.available !== false && p.weight > 0).map((p) => ({ label: p.label, weight: p.weight }));
      const body = clientSeed.value.trim() ? { client_seed: clientSeed.value.trim() } : {};
      const played = await post(`/v1/games/${seg(g.id)}/plays`, body, { key: playIntent.key });
      playIntent.settle();
      storePlay(g.id, { id: played.id, label: played.outcome.label, ...played.fairness, prizes: inDraw, created_at: played.created_at });
      replace(stageSlot, renderStage());
      if (game.kind === 'wheel') await spin(played.outcome.label); else await scratch(played.outcome);
      announce(played.outcome);
      clientSeed.value = newKey().slice(0, 16);
      game = await findGame(g.id);
      playsLeft.textContent = t('games.plays_left', { n: game.plays_left_today });
      await fairness.refresh();
    } catch (error) {
      playIntent.settle(error);
      showError(box, error);
    }
  }));

  replace(main, back, title(g.title), h('p', {}, g.description),
    h('div', { class: 'game-layout' },
      h('section', {}, stageSlot, h('div', { class: 'row' }, play), playsLeft, box, result,
        h('details', {}, h('summary', {}, t('games.client_seed')), h('div', { class: 'field' }, h('label', { for: 'client-seed' }, t('games.client_seed_label')), clientSeed))),
      h('section', {}, oddsTable(g), fairness.element)));
  clientSeed.id = 'client-seed';
  await fairness.refresh();
}

function clearedShare(ctx, canvas) {
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let clear = 0;
  let total = 0;
  for (let i = 3; i < data.length; i += 64) { total += 1; if (data[i] === 0) clear += 1; }
  return clear / total;
}

/** Commitment, rotation and in-browser verification of the plays this tab made. */
function fairnessPanel(g) {
  const commitment = h('code', { class: 'hash', 'data-testid': 'commitment' });
  const nonce = h('span', {});
  const revealed = h('div', { 'data-testid': 'revealed' });
  const plays = h('ul', { class: 'rows', 'data-testid': 'fair-plays' });
  const rotate = h('button', { type: 'button', class: 'secondary', 'data-testid': 'rotate' }, t('games.rotate'));
  const box = notice();
  const seeds = new Map();
  try {
    for (const [hash, seed] of JSON.parse(sessionStorage.getItem(`basar.seeds.${g.id}`) || '[]')) seeds.set(hash, seed);
  } catch { /* none yet */ }

  function renderPlays() {
    const list = storedPlays(g.id);
    replace(plays, list.length ? list.map((p) => {
      const out = h('span', { class: 'verdict', 'data-testid': 'verdict' });
      const seed = seeds.get(p.server_seed_hash);
      const verify = h('button', { type: 'button', class: 'small', 'data-testid': 'verify', disabled: !seed }, t('games.verify'));
      verify.addEventListener('click', () => busy(verify, async () => {
        const ok = await matchesCommitment(seed, p.server_seed_hash);
        const drawn = await draw(seed, p.client_seed, p.nonce, p.prizes);
        const same = ok && drawn.label === p.label;
        out.className = `verdict ${same ? 'ok' : 'bad'}`;
        out.textContent = same ? t('games.verified', { label: drawn.label, roll: drawn.roll })
          : ok ? t('games.mismatch', { label: drawn.label, server: p.label }) : t('games.bad_commitment');
        out.dataset.ok = String(same);
      }));
      return h('li', { class: 'row-item', 'data-play-id': p.id },
        h('span', {}, `#${p.nonce}`), h('span', {}, p.label), h('small', { class: 'muted' }, dateTime(p.created_at)),
        h('small', { class: 'muted', title: t('games.client_seed') }, p.client_seed),
        seed ? verify : h('small', { class: 'muted' }, t('games.rotate_first')), out);
    }) : h('li', { class: 'empty' }, t('games.no_plays')));
  }

  async function refresh() {
    const f = await get(`/v1/games/${seg(g.id)}/fairness`);
    commitment.textContent = f.server_seed_hash;
    nonce.textContent = String(f.next_nonce);
    renderPlays();
  }

  rotate.addEventListener('click', () => busy(rotate, async () => {
    try {
      const r = await post(`/v1/games/${seg(g.id)}/fairness/rotate`);
      seeds.set(r.revealed_server_seed_hash, r.revealed_server_seed);
      sessionStorage.setItem(`basar.seeds.${g.id}`, JSON.stringify([...seeds.entries()].slice(-20)));
      const ok = await matchesCommitment(r.revealed_server_seed, r.revealed_server_seed_hash);
      replace(revealed, h('p', {}, t('games.revealed'), ' ', h('code', { class: 'hash', 'data-testid': 'revealed-seed' }, r.revealed_server_seed)),
        h('p', { class: ok ? 'ok' : 'bad' }, ok ? t('games.hash_ok') : t('games.bad_commitment')));
      box.hidden = true;
      await refresh();
    } catch (error) { showError(box, error); }
  }));

  const element = h('section', { class: 'card fairness', 'aria-label': t('games.fairness') },
    h('h2', {}, t('games.fairness')), h('p', { class: 'hint' }, t('games.fairness_intro')),
    h('p', {}, t('games.commitment'), ' ', commitment), h('p', {}, t('games.next_nonce'), ' ', nonce),
    rotate, box, revealed, h('h3', {}, t('games.my_plays')), plays);
  return { element, refresh };
}

// MARK: - kitten
async function pet(main, g, back) {
  const box = notice();
  const view = h('div', { class: 'pet', 'data-testid': 'pet' });
  const kitten = h('div', { class: 'kitten', 'aria-hidden': 'true' }, kittenPicture());
  const feed = h('button', { type: 'button', 'data-testid': 'feed' }, t('games.feed'));
  const playButton = h('button', { type: 'button', 'data-testid': 'pet-play' }, t('games.play_with'));
  const won = h('div', { 'aria-live': 'polite' });

  function meter(label, value, max, testid) {
    const bar = h('div', { class: 'bar' }, h('div', { class: 'bar-fill' }));
    bar.firstChild.style.width = `${max ? Math.min(100, (value / max) * 100) : 0}%`;
    return h('div', { class: 'meter', 'data-testid': testid }, h('span', {}, label, ': ', `${value} / ${max}`), bar);
  }
  function render(state) {
    replace(view, kitten, h('p', { class: 'level', 'data-testid': 'level' }, t('games.level', { n: state.level })),
      // The API gives total xp and what is still missing to the next level; the bar shows that share.
      meter(t('games.xp'), state.xp, state.xp + state.xp_to_next_level, 'xp'),
      meter(t('games.energy'), state.energy, state.max_energy, 'energy'),
      state.energy < state.max_energy && state.energy_refill_at ? h('p', { class: 'muted' }, t('games.refill', { time: dateTime(state.energy_refill_at) })) : null,
      h('div', { class: 'row' }, feed, playButton));
  }
  for (const [button, action] of [[feed, 'feed'], [playButton, 'play']]) {
    button.addEventListener('click', () => busy(button, async () => {
      try {
        const r = await post(`/v1/games/${seg(g.id)}/actions`, { action });
        kitten.classList.remove('bounce');
        void kitten.offsetWidth; // restart the animation
        kitten.classList.add('bounce');
        render(r.state);
        box.hidden = true;
        if (r.coupon) showOk(won, t('games.level_coupon', { what: discountText(r.coupon) }), ' ', h('a', { href: '#/coupons' }, t('coupons.mine')));
      } catch (error) { showError(box, error); }
      button.focus();
    }));
  }
  render(await get(`/v1/games/${seg(g.id)}/state`));
  replace(main, back, title(g.title), h('p', {}, g.description), view, box, won, g.prizes?.length ? oddsTable(g) : null);
}

