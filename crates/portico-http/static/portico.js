// Progressive enhancement only: every page works without this file.
// On a phone the navigation folds behind the Menu button (the stylesheet hides it only for
// headers marked has-menu, so without this file it stays open).
const header = document.querySelector("header.top");
const toggle = header?.querySelector(".menu-toggle");
if (toggle) {
  header.classList.add("has-menu");
  const menu = document.getElementById(toggle.getAttribute("aria-controls"));
  toggle.addEventListener("click", () => {
    const open = menu.classList.toggle("open");
    toggle.setAttribute("aria-expanded", String(open));
  });
}

// Buttons marked data-copy copy the text of the element they name.
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button || !navigator.clipboard) return;
  const source = document.getElementById(button.dataset.copy);
  if (!source) return;
  navigator.clipboard.writeText(source.textContent.trim()).then(() => {
    button.textContent = "Copied";
  });
});

// A tax name chosen from the workspace's named rates fills in its rate on the same line
// when none is typed there. Without this file both are typed by hand.
document.addEventListener("change", (event) => {
  const name = event.target.closest("input[name=tax_name][list]");
  if (!name) return;
  const offered = [...document.getElementById(name.getAttribute("list")).options].find((o) => o.value === name.value);
  const rate = name.closest(".line")?.querySelector("input[name=tax_rate]");
  if (offered && rate && rate.value.trim() === "") rate.value = offered.dataset.rate;
});

// Pickers (data-source): matches follow the typing. Without this file the Find button asks
// the server for the same matches and shows the page again.
for (const picker of document.querySelectorAll(".picker[data-source]")) {
  const search = picker.querySelector("input[type=search]");
  const summary = picker.querySelector(".hint[aria-live]");
  const select = picker.querySelector("select");
  const boxes = picker.querySelector("fieldset.choices");
  let timer;
  let asked = 0;
  const show = (found) => {
    if (select) {
      const kept = [...select.options].filter((o) => o.selected || o.value === "");
      select.replaceChildren(...kept);
      for (const choice of found.choices) {
        if (kept.some((o) => o.value === choice.id)) continue;
        select.append(new Option(choice.label, choice.id));
      }
    } else if (boxes) {
      const legend = boxes.querySelector("legend");
      const kept = [...boxes.querySelectorAll("label")].filter((l) => l.querySelector("input").checked);
      const fresh = found.choices
        .filter((choice) => !kept.some((l) => l.querySelector("input").value === choice.id))
        .map((choice) => {
          const label = document.createElement("label");
          const box = document.createElement("input");
          box.type = "checkbox";
          box.name = picker.querySelector("input[type=checkbox]")?.name ?? "client_ids";
          box.value = choice.id;
          label.append(box, " " + choice.label);
          return label;
        });
      boxes.replaceChildren(legend, ...kept, ...fresh);
    }
    summary.textContent = found.summary;
  };
  // A failed search (offline, or a session that ended and answers the login page) leaves the
  // matches as they are; the Find button still works.
  const ask = async () => {
    const mine = ++asked;
    const url = new URL(picker.dataset.source, location.href);
    url.searchParams.set("q", search.value);
    try {
      const response = await fetch(url, { headers: { accept: "application/json" }, credentials: "same-origin" });
      const json = response.ok && response.headers.get("content-type")?.startsWith("application/json");
      if (json && mine === asked) show(await response.json());
    } catch {
      // Nothing to do: the page keeps working without type-ahead.
    }
  };
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(ask, 200);
  });
  search.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    clearTimeout(timer);
    ask();
  });
}
