// Progressive enhancement: pages work without this script. It marks the page as able to run
// GOV.UK Frontend's components and starts them.
import { initAll } from '/static/govuk-frontend-6.6.0.min.js'

document.body.classList.add('js-enabled')
if ('noModule' in HTMLScriptElement.prototype) {
  document.body.classList.add('govuk-frontend-supported')
}
initAll()
