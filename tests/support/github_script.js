// Runs the `script:` of an actions/github-script step as the action does: the body of an async function of
// `github`, `context`, `core` and `require`. `github` is a small client of the REST routes the workflows use,
// sent to GITHUB_API_URL (the tests' stand-in); any other method is missing, so a new call fails loudly.
// usage: node github_script.js SCRIPT_FILE   (with GITHUB_API_URL, GITHUB_REPOSITORY, GITHUB_TOKEN, GITHUB_EVENT_PATH)
'use strict';
const fs = require('fs');

const api = process.env.GITHUB_API_URL;
const [owner, repo] = process.env.GITHUB_REPOSITORY.split('/');
const payload = process.env.GITHUB_EVENT_PATH ? JSON.parse(fs.readFileSync(process.env.GITHUB_EVENT_PATH, 'utf8')) : {};

async function request(method, path, body) {
  const response = await fetch(api + path, {
    method,
    headers: { authorization: `token ${process.env.GITHUB_TOKEN}`, accept: 'application/vnd.github+json',
               'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
  return { status: response.status, data: await response.json() };
}

const query = (params) => new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
const issues = {
  listForRepo: ({ owner, repo, ...params }) => request('GET', `/repos/${owner}/${repo}/issues?${query(params)}`),
  create: ({ owner, repo, ...body }) => request('POST', `/repos/${owner}/${repo}/issues`, body),
  update: ({ owner, repo, issue_number, ...body }) => request('PATCH', `/repos/${owner}/${repo}/issues/${issue_number}`, body),
  listComments: ({ owner, repo, issue_number, ...params }) =>
    request('GET', `/repos/${owner}/${repo}/issues/${issue_number}/comments?${query(params)}`),
  createComment: ({ owner, repo, issue_number, ...body }) =>
    request('POST', `/repos/${owner}/${repo}/issues/${issue_number}/comments`, body),
  updateComment: ({ owner, repo, comment_id, ...body }) =>
    request('PATCH', `/repos/${owner}/${repo}/issues/comments/${comment_id}`, body),
};

// Octokit's paginate: every page of a list method, concatenated.
async function paginate(method, params) {
  const all = [];
  for (let page = 1; ; page += 1) {
    const { data } = await method({ ...params, page });
    all.push(...data);
    if (data.length < (params.per_page || 30)) return all;
  }
}

const github = { rest: { issues }, paginate };
const subject = payload.pull_request || payload.issue || {};
const context = { repo: { owner, repo }, issue: { owner, repo, number: subject.number }, payload };
const core = {
  info: (message) => console.log(message),
  setFailed: (message) => { console.error(`::error::${message}`); process.exitCode = 1; },
};

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
const script = fs.readFileSync(process.argv[2], 'utf8');
new AsyncFunction('github', 'context', 'core', 'require', script)(github, context, core, require).catch((error) => {
  console.error(`::error::${error.message}`);
  process.exit(1);
});
