/*
 * The draw-a-digit page: strokes on a canvas, prepared by prepare.js as DigitNormalizer
 * prepares images, then run by onnxruntime-web through the model the documentation's
 * build exported (a scikit-learn Pipeline of PixelNormalizer and LeNet5Classifier,
 * converted by skmnist.onnx). The answer (label and the ten probabilities) is shown when
 * a stroke ends. window.skmnistDraw holds the last drawing, its prepared pixels, the
 * answer and how long it took, for the documentation's browser check.
 */
(function () {
  "use strict";

  const root = document.getElementById("skmnist-draw");
  if (!root) return;
  const canvas = root.querySelector("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  const status = root.querySelector(".skmnist-draw-status");
  const bars = root.querySelector(".skmnist-draw-bars");
  const answer = root.querySelector(".skmnist-draw-answer");
  const base = root.dataset.static;
  const state = (window.skmnistDraw = { ready: false, answers: 0 });
  const PAPER = "#f4f1e8";
  const INK = "#1c2a5a";

  function clear() {
    context.save();
    context.fillStyle = PAPER;
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.restore();
    answer.textContent = "?";
    bars.querySelectorAll(".bar").forEach((bar) => (bar.style.width = "0%"));
    bars.querySelectorAll(".value").forEach((value) => (value.textContent = ""));
  }

  // the ten rows of probabilities, one per class, filled in as answers come
  function buildBars(classes) {
    bars.innerHTML = "";
    for (const name of classes) {
      const row = document.createElement("div");
      row.className = "skmnist-draw-row";
      row.innerHTML =
        `<span class="name">${name}</span><span class="track"><span class="bar"></span></span>` +
        `<span class="value"></span>`;
      bars.appendChild(row);
    }
  }

  let session = null;
  let drawing = false;
  let last = null;

  function point(event) {
    const box = canvas.getBoundingClientRect();
    return {
      x: ((event.clientX - box.left) * canvas.width) / box.width,
      y: ((event.clientY - box.top) * canvas.height) / box.height,
    };
  }

  canvas.addEventListener("pointerdown", (event) => {
    canvas.setPointerCapture(event.pointerId);
    drawing = true;
    last = point(event);
    context.beginPath();
    context.arc(last.x, last.y, context.lineWidth / 2, 0, 2 * Math.PI);
    context.fill();
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!drawing) return;
    const next = point(event);
    context.beginPath();
    context.moveTo(last.x, last.y);
    context.lineTo(next.x, next.y);
    context.stroke();
    last = next;
  });
  const end = () => {
    if (!drawing) return;
    drawing = false;
    predict(performance.now());
  };
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  root.querySelector("button").addEventListener("click", clear);

  async function predict(strokeEnd) {
    if (!session) return;
    const { width, height } = canvas;
    const rgba = context.getImageData(0, 0, width, height).data;
    const grey = new Uint8Array(width * height);
    for (let i = 0; i < grey.length; i++) {
      grey[i] = Math.round(0.299 * rgba[4 * i] + 0.587 * rgba[4 * i + 1] + 0.114 * rgba[4 * i + 2]);
    }
    const pixels = skmnistPrepare.prepareDigit(grey, height, width);
    const prepared = performance.now();
    const input = new ort.Tensor("uint8", pixels, [1, pixels.length]);
    const outputs = await session.run({ [session.inputNames[0]]: input });
    const ran = performance.now();
    const label = outputs[session.outputNames[0]].data[0];
    const proba = Array.from(outputs[session.outputNames[1]].data);
    answer.textContent = String(label);
    const best = proba.indexOf(Math.max(...proba));
    bars.querySelectorAll(".skmnist-draw-row").forEach((row, i) => {
      row.querySelector(".bar").style.width = `${(100 * proba[i]).toFixed(1)}%`;
      row.querySelector(".value").textContent = proba[i].toFixed(3);
      row.classList.toggle("best", i === best);
    });
    Object.assign(state, {
      grey: Array.from(grey),
      height,
      width,
      pixels: Array.from(pixels),
      label: String(label),
      proba,
      latencyMs: performance.now() - strokeEnd,
      prepareMs: prepared - strokeEnd,
      runMs: ran - prepared,
      answers: state.answers + 1,
    });
  }

  async function start() {
    context.lineWidth = 18;
    context.lineCap = context.lineJoin = "round";
    context.strokeStyle = context.fillStyle = INK;
    clear();
    ort.env.wasm.wasmPaths = new URL(`${base}/ort/`, document.baseURI).href;
    ort.env.wasm.numThreads = 1; // no cross-origin isolation needed
    try {
      const about = await (await fetch(`${base}/draw/model.json`)).json();
      session = await ort.InferenceSession.create(`${base}/draw/model.onnx`);
      buildBars(about.classes);
      status.textContent = `${about.description} Draw a digit; it answers when you lift the pen.`;
      state.ready = true;
    } catch (error) {
      status.textContent = `The model could not be loaded: ${error}`;
      state.error = String(error);
    }
  }

  start();
})();
