// Lighthouse on a page that only a POST reaches: « Se déplacer » with a plan (the profile is never
// in a URL). Opens the empty page, puts the shared plan in the form, then measures the navigation
// the "Voir le plan" button starts, as a Lighthouse user-flow step (same mobile defaults as the CLI).
// Usage: node bench/lighthouse-flow.mjs <empty page URL> <encoded plan> <report.json>
import { writeFileSync } from "node:fs";
import puppeteer from "puppeteer-core";
import { startFlow } from "lighthouse";

const [start, encoded, out] = process.argv.slice(2);
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];
const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync"],
});
try {
  const page = await browser.newPage();
  await page.goto(start, { waitUntil: "load" });
  await page.$eval(".js-shared", (field, value) => { field.value = value; }, encoded);
  const flow = await startFlow(page, { config: { extends: "lighthouse:default",
    settings: { onlyCategories: CATEGORIES } } });
  await flow.navigate(async () => {
    await page.click("button[name=action][value=plan]");
  }, { name: "plan" });
  const result = await flow.createFlowResult();
  writeFileSync(out, JSON.stringify(result.steps[0].lhr));
} finally {
  await browser.close();
}
