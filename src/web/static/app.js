// Progressive enhancement: pages work without this script. It marks the page as able to run
// GOV.UK Frontend's components and starts them.
import { initAll } from '/static/govuk-frontend-6.6.0.min.js'

document.body.classList.add('js-enabled')
if ('noModule' in HTMLScriptElement.prototype) {
  document.body.classList.add('govuk-frontend-supported')
}
initAll()

// A progress page at a report's address follows its analysis job through the API and shows the
// report once the job is done. Without this script the page offers "Check progress" instead,
// and with it the reader can stop the checking at any time (WCAG 2.2.2).
const STATE_TEXT = {
  queued: 'Waiting to start: other analyses are running',
  running: 'Analysing',
  done: 'Finished'
}

function followJob (box) {
  const every = Math.max(1, Number(box.dataset.every) || 2) * 1000
  const state = document.querySelector('[data-opennos-job-state]')
  const percent = document.querySelector('[data-opennos-job-percent]')
  const bar = document.querySelector('progress.opennos-progress')
  const stop = box.querySelector('[data-opennos-stop]')
  let timer = null
  let shownState = null

  const halt = () => {
    clearTimeout(timer)
    timer = null
  }
  const check = async () => {
    timer = null
    let job
    try {
      const response = await fetch(box.dataset.opennosJob, {
        headers: { Accept: 'application/json' },
        credentials: 'same-origin',
        cache: 'no-store'
      })
      if (!response.ok) return // the job is gone: "Check progress" still works
      job = await response.json()
    } catch {
      job = null // a network hiccup: try again at the next tick
    }
    if (stop && stop.disabled) return
    if (job) {
      if (job.state === 'done') {
        window.location.replace(box.dataset.report)
        return
      }
      if (job.state === 'failed' || job.state === 'cancelled') {
        window.location.replace(box.dataset.jobPage)
        return
      }
      if (bar) {
        bar.value = job.percent
        bar.textContent = `${job.percent}%`
      }
      if (percent) percent.textContent = `${job.percent}% done`
      // The status region is announced: change it when the state changes, not every tick.
      if (state && job.state !== shownState && STATE_TEXT[job.state]) {
        shownState = job.state
        state.textContent = `${STATE_TEXT[job.state]}.`
      }
    }
    timer = setTimeout(check, every)
  }

  if (stop) {
    stop.addEventListener('click', () => {
      halt()
      stop.disabled = true
      stop.parentElement.hidden = true
      box.querySelector('[data-opennos-following]').hidden = true
      const stopped = box.querySelector('[data-opennos-stopped]')
      stopped.hidden = false
      stopped.setAttribute('tabindex', '-1')
      stopped.focus()
    })
  }
  timer = setTimeout(check, every)
}

for (const box of document.querySelectorAll('[data-opennos-job][data-follow]')) followJob(box)
