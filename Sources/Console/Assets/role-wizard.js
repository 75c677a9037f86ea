/* Gatehouse console: IAM > Roles > Create role (three-step wizard).
 Plain ES2020, no libraries. Builds its DOM inside form#role-wizard from the
 JSON in #role-wizard-data; posts the CreateRole fields as hidden inputs. */
(() => {
'use strict';
const form = document.getElementById('role-wizard');
if (!form || form.dataset.rwReady) return;
form.dataset.rwReady = '1';

let data = {};
try { data = JSON.parse((document.getElementById('role-wizard-data') || {}).textContent || '{}') || {}; } catch (e) { data = {}; }
const ACCOUNT = /^\d{12}$/.test(data.accountId) ? data.accountId : '000000000000';
const OIDC = (Array.isArray(data.oidcProviders) ? data.oidcProviders : []).filter(p => p && p.arn);
const SAMLP = (Array.isArray(data.samlProviders) ? data.samlProviders : []).filter(p => p && p.arn);
const INIT = data.initial && typeof data.initial === 'object' ? data.initial : null;
const NOFORM = 'rw-unposted';   // controls point at no form: never posted, no implicit submit on Enter
const PAGE = 25, MAX_TAGS = 50;

/* DOM helpers (text only, never innerHTML) */
let uid = 0;
const nid = p => 'rw-' + p + '-' + (++uid);
const PROPS = { value: 1, checked: 1, disabled: 1, hidden: 1, selected: 1, type: 1 };
function h(tag, props, ...kids) {
  const el = document.createElement(tag);
  if (props) for (const k of Object.keys(props)) {
    const v = props[k];
    if (v == null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), v);
    else if (PROPS[k] && k !== 'type') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  if (/^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName)) { el.setAttribute('form', NOFORM); el.setAttribute('autocomplete', 'off'); }
  for (const c of kids.flat(3)) if (c != null && c !== false) el.append(c);
  return el;
}
const btn = (text, props, cls) => h('button', Object.assign({ type: 'button', class: cls || null }, props), text);
const show = (el, on) => { el.hidden = !on; };
function panel(title, opts, ...body) {
  opts = opts || {};
  const hid = nid('h');
  const head = h('header', { class: 'rw-panel-head' },
    h('div', null, h('h2', { id: hid, text: title }), opts.desc ? h('p', { class: 'rw-panel-desc', text: opts.desc }) : null),
    opts.actions || null);
  const p = h('section', { class: 'panel rw-panel', 'aria-labelledby': hid }, head, h('div', { class: 'rw-panel-body' }, body));
  p.titleEl = p.querySelector('h2');
  return p;
}
// A labelled field: label, description, control, error, constraint hint.
function field(label, control, hint, desc) {
  const id = control.id || (control.id = nid('f'));
  const err = h('div', { class: 'rw-error', role: 'alert', id: nid('e'), hidden: true });
  const hintEl = hint ? h('p', { class: 'hint', id: nid('hint'), text: hint }) : null;
  const descEl = desc ? h('p', { class: 'rw-fdesc', id: nid('fd'), text: desc }) : null;
  const lab = h('label', { for: id, text: label });
  control.setAttribute('aria-describedby', [descEl && descEl.id, hintEl && hintEl.id, err.id].filter(Boolean).join(' '));
  control.rwErr = err;
  const f = h('div', { class: 'field rw-field' }, lab, descEl, control, err, hintEl);
  f.labelEl = lab;
  return f;
}
function setErr(ctl, msg) {
  const e = ctl && ctl.rwErr;
  if (!e) return;
  e.textContent = msg || '';
  e.hidden = !msg;
  if (msg) ctl.setAttribute('aria-invalid', 'true'); else ctl.removeAttribute('aria-invalid');
}
// A radio with a title (its accessible name) and a description (aria-describedby).
function radio(name, value, title, desc, cls, checked) {
  const id = nid('r'), did = desc ? nid('d') : null;
  const input = h('input', { type: 'radio', name, value, id, checked, 'aria-label': title, 'aria-describedby': did });
  const lab = h('label', { for: id, class: cls || 'rw-radio' }, input,
    h('span', { class: 'rw-radio-text' }, h('span', { class: 'rw-radio-title', text: title }),
      desc ? h('span', { class: 'rw-radio-desc', id: did, text: desc }) : null));
  lab.input = input;
  return lab;
}
function checkbox(title, desc) {
  const id = nid('c');
  const input = h('input', { type: 'checkbox', id });
  const lab = h('label', { for: id, class: 'rw-check' }, input, h('span', { class: 'rw-radio-text' },
    h('span', { class: 'rw-radio-title', text: title }), desc ? h('span', { class: 'rw-radio-desc', text: desc }) : null));
  lab.input = input;
  return lab;
}
const option = (text, value, extra) => h('option', Object.assign({ value: value == null ? text : value }, extra), text);
const pretty = o => JSON.stringify(o, null, 4);

/* AWS service use cases */
// [service, [[use case, principal (".amazonaws.com" implied without a dot), description, service-linked?]]]
const gen = s => 'Allows ' + s + ' to call AWS services on your behalf.';
const SERVICES = [
  ['EC2', [
    ['EC2', 'ec2', 'Allows EC2 instances to call AWS services on your behalf.'],
    ['EC2 Role for AWS Systems Manager', 'ec2', 'Allows EC2 instances to call AWS services like CloudWatch and Systems Manager on your behalf.'],
    ['EC2 Spot Fleet Role', 'spotfleet', 'Allows EC2 Spot Fleet to request and terminate Spot Instances on your behalf.'],
    ['EC2 - Spot Fleet Auto Scaling', 'application-autoscaling', 'Allows Auto Scaling to access and update EC2 spot fleets on your behalf.'],
    ['EC2 - Spot Fleet Tagging', 'spotfleet', 'Allows EC2 to launch spot instances and attach tags to the launched instances on your behalf.'],
    ['EC2 - Spot Instances', 'spot', 'Allows EC2 Spot Instances to launch and manage spot instances on your behalf.', 1],
    ['EC2 - Spot Fleet', 'spotfleet', 'Allows EC2 Spot Fleet to launch and manage spot fleet instances on your behalf.', 1],
    ['EC2 - Scheduled Instances', 'ec2scheduled', 'Allows EC2 Scheduled Instances to manage instances on your behalf.']]],
  ['Lambda', [['Lambda', 'lambda', 'Allows Lambda functions to call AWS services on your behalf.']]],
  ['API Gateway', [['API Gateway', 'apigateway', 'Allows API Gateway to push logs to CloudWatch Logs.']]],
  ['AppSync', [['AppSync', 'appsync', gen('AppSync')]]],
  ['AWS Backup', [['AWS Backup', 'backup', 'Provides AWS Backup permission to create backups and perform restores on your behalf across AWS services.']]],
  ['Batch', [['Batch', 'batch', gen('AWS Batch')]]],
  ['CloudFormation', [['CloudFormation', 'cloudformation', 'Allows CloudFormation to create and manage AWS stacks and resources on your behalf.']]],
  ['CloudWatch Events', [['CloudWatch Events', 'events', 'Allows CloudWatch Events to invoke targets and perform actions in built-in targets on your behalf.']]],
  ['CodeBuild', [['CodeBuild', 'codebuild', gen('CodeBuild')]]],
  ['CodeDeploy', [
    ['CodeDeploy', 'codedeploy', 'Allows CodeDeploy to call AWS services such as Auto Scaling on your behalf.'],
    ['CodeDeploy for Lambda', 'codedeploy', 'Allows CodeDeploy to route traffic to a new version of an AWS Lambda function version on your behalf.'],
    ['CodeDeploy - ECS', 'codedeploy', 'Allows CodeDeploy to read S3 objects, invoke Lambda functions, publish to SNS topics, and update ECS services on your behalf.']]],
  ['CodePipeline', [['CodePipeline', 'codepipeline', gen('CodePipeline')]]],
  ['DataSync', [['DataSync', 'datasync', gen('DataSync')]]],
  ['DynamoDB Accelerator (DAX)', [
    ['DAX - DynamoDB access', 'dax', 'Allows DAX to access DynamoDB tables on your behalf.'],
    ['DynamoDB Accelerator (DAX) - Cluster management', 'dax', 'Allows DAX to manage cluster resources on your behalf.', 1]]],
  ['EKS', [
    ['EKS - Cluster', 'eks', 'Allows access to other AWS service resources that are required to operate clusters managed by EKS.'],
    ['EKS - Fargate pod', 'eks-fargate-pods', 'Allows access to other AWS service resources that are required to run Amazon EKS pods on AWS Fargate.'],
    ['EKS - Nodegroup', 'eks-nodegroup', 'Allows EKS to manage nodegroups on your behalf.', 1]]],
  ['Elastic Beanstalk', [['Elastic Beanstalk', 'elasticbeanstalk', gen('Elastic Beanstalk')]]],
  ['Elastic Container Service', [
    ['Elastic Container Service', 'ecs', 'Allows ECS to create and manage AWS resources on your behalf.', 1],
    ['Elastic Container Service Autoscale', 'application-autoscaling', 'Allows Auto Scaling to access and update ECS services.'],
    ['Elastic Container Service Task', 'ecs-tasks', 'Allows ECS tasks to call AWS services on your behalf.'],
    ['EC2 Role for Elastic Container Service', 'ec2', 'Allows EC2 instances in an ECS cluster to access ECS.']]],
  ['EventBridge Scheduler', [['EventBridge Scheduler', 'scheduler', gen('EventBridge Scheduler')]]],
  ['Firehose', [['Firehose', 'firehose', gen('Firehose')]]],
  ['Glue', [['Glue', 'glue', gen('Glue')]]],
  ['IoT', [['IoT', 'iot', gen('IoT')]]],
  ['Kinesis', [['Kinesis Analytics', 'kinesisanalytics', gen('Kinesis Analytics')]]],
  ['MediaConvert', [['MediaConvert', 'mediaconvert', gen('MediaConvert')]]],
  ['RDS', [
    ['RDS', 'rds', 'Allows RDS to manage AWS resources on your behalf.', 1],
    ['RDS - Add Role to Database', 'rds', 'Allows you to grant RDS access to additional resources on your behalf.'],
    ['RDS - Enhanced Monitoring', 'monitoring.rds', 'Allows RDS to send enhanced monitoring metrics to CloudWatch Logs.']]],
  ['Redshift', [
    ['Redshift', 'redshift', 'Allows Redshift to manage AWS resources on your behalf.', 1],
    ['Redshift - Customizable', 'redshift', 'Allows Redshift clusters to call AWS services on your behalf.']]],
  ['S3', [
    ['S3', 's3', gen('S3')],
    ['S3 Batch Operations', 'batchoperations.s3', gen('S3 Batch Operations')]]],
  ['SageMaker', [['SageMaker - Execution', 'sagemaker', 'Allows SageMaker notebook instances, training jobs, and models to access S3, ECR, and CloudWatch on your behalf.']]],
  ['Step Functions', [['Step Functions', 'states', 'Allows Step Functions to access AWS resources on your behalf.']]],
  ['Systems Manager', [['Systems Manager', 'ssm', 'Allows SSM to call AWS services on your behalf.']]],
  ['Transfer', [['Transfer', 'transfer', 'Allow AWS Transfer Family to call AWS services on your behalf.']]]
].map(([name, ucs]) => ({
  name, useCases: ucs.map(([n, p, d, slr]) => ({ name: n, principal: p.includes('.') && p.endsWith('.com') ? p : p + '.amazonaws.com', desc: d, slr: !!slr }))
}));
const COMMON = ['EC2', 'Lambda'];
const serviceByName = n => SERVICES.find(s => s.name === n);

const WEB_BUILTIN = [
  { id: 'cognito', name: 'Amazon Cognito', host: 'cognito-identity.amazonaws.com', key: 'aud', field: 'Identity pool ID' },
  { id: 'amazon', name: 'Login with Amazon', host: 'www.amazon.com', key: 'app_id', field: 'Application ID' },
  { id: 'facebook', name: 'Facebook', host: 'graph.facebook.com', key: 'app_id', field: 'Application ID' },
  { id: 'google', name: 'Google', host: 'accounts.google.com', key: 'aud', field: 'Audience' }
];
const ENTITIES = [
  ['AWS service', 'Allow AWS services like EC2, Lambda, or others to perform actions in this account.'],
  ['AWS account', 'Allow entities in other AWS accounts belonging to you or a 3rd party to perform actions in this account.'],
  ['Web identity', 'Allows users federated by the specified external web identity provider to assume this role to perform actions in this account.'],
  ['SAML 2.0 federation', 'Allow users federated with SAML 2.0 from a corporate directory to perform actions in this account.'],
  ['Custom trust policy', 'Create a custom trust policy to enable others to perform actions in this account.']
];
const TEMPLATE = pretty({ Version: '2012-10-17', Statement: [{ Sid: 'Statement1', Effect: 'Allow', Principal: {}, Action: 'sts:AssumeRole' }] });
const STEPS = ['Select trusted entity', 'Add permissions', 'Name, review, and create'];

const st = {
  step: 1, useCase: null, trustOverride: null, autoDesc: '',
  policies: null, byArn: new Map(), selected: new Map(), view: [], page: 1,
  boundary: '', tags: [], submitting: false
};

/* layout */
const stepNav = h('ol', { class: 'rw-steplist' });
const main = h('div', { class: 'rw-main' });
const root = h('div', { class: 'rw-wizard' }, h('nav', { class: 'rw-nav', 'aria-label': 'Create role steps' }, stepNav), main);
const postBox = h('div', { class: 'rw-post', hidden: true });
form.append(root, postBox);

const sections = STEPS.map((title, i) => {
  const h1 = h('h1', { class: 'rw-title', tabindex: '-1', text: title });
  const s = h('div', { class: 'rw-step', id: 'rw-step-' + (i + 1), hidden: true }, h1);
  s.h1 = h1;
  main.append(s);
  return s;
});
const cancelLink = () => h('a', { class: 'rw-cancel', href: form.dataset.cancel || '/console/iam/roles', text: 'Cancel' });
function actions(...buttons) { return h('div', { class: 'rw-actions' }, cancelLink(), buttons); }

/* step 1: Select trusted entity */
const s1 = sections[0];
const entityRadios = ENTITIES.map(([t, d], i) => radio('rw-entity', t, t, d, 'rw-tile', i === 0));
const entityPanel = panel('Trusted entity type', null, h('div', { class: 'rw-tiles', role: 'radiogroup', 'aria-label': 'Trusted entity type' }, entityRadios));
const entity = () => (entityRadios.find(r => r.input.checked) || entityRadios[0]).input.value;

// AWS service
const svcSel = h('select', { id: nid('svc') },
  option('Choose a service or use case', '', { disabled: true, selected: true }),
  h('optgroup', { label: 'Commonly used services' }, COMMON.map(n => option(n))),
  h('optgroup', { label: 'All services' }, SERVICES.filter(s => !COMMON.includes(s.name))
    .sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' })).map(s => option(s.name))));
const ucBox = h('div', { class: 'rw-usecases', role: 'radiogroup', 'aria-label': 'Use case' });
const ucErr = h('div', { class: 'rw-error', role: 'alert', hidden: true });
const ucWrap = h('div', { class: 'rw-uc-wrap', hidden: true }, h('p', { class: 'rw-uc-intro', text: 'Choose a use case for the specified service.' }), ucBox, ucErr);
const slrAlert = h('div', { class: 'alert info rw-alert', role: 'status', hidden: true });
const svcPanel = panel('Use case', { desc: 'Allow an AWS service like EC2, Lambda, or others to perform actions in this account.' },
  field('Service or use case', svcSel), ucWrap, slrAlert);
function renderUseCases(pick) {
  const svc = serviceByName(svcSel.value);
  ucBox.replaceChildren();
  st.useCase = null;
  show(ucWrap, !!svc);
  if (!svc) return syncUseCase();
  const first = pick || svc.useCases.find(u => !u.slr) || svc.useCases[0];
  for (const uc of svc.useCases) {
    const r = radio('rw-usecase', uc.name, uc.name, uc.desc + (uc.slr ? ' (Service-linked role)' : ''), 'rw-radio', uc === first);
    r.input.addEventListener('change', () => { if (r.input.checked) { st.useCase = uc; syncUseCase(); } });
    r.useCase = uc;
    ucBox.append(r);
  }
  st.useCase = first;
  syncUseCase();
}
function syncUseCase() {
  const uc = entity() === 'AWS service' ? st.useCase : null;
  setErr(svcSel, '');
  ucErr.hidden = true;
  show(slrAlert, !!(uc && uc.slr));
  if (uc && uc.slr) slrAlert.textContent = uc.name + ' is a service-linked role: it is created with CreateServiceLinkedRole (' +
    uc.principal + '), not with this wizard.';
  next1.disabled = !!(uc && uc.slr);
  // AWS pre-fills the description with the use case's, until the user types their own.
  const d = uc ? uc.desc : '';
  if (descIn.value === st.autoDesc) descIn.value = d;
  st.autoDesc = d;
}
svcSel.addEventListener('change', () => renderUseCases());

// AWS account
const acctThis = radio('rw-acct', 'this', 'This account (' + ACCOUNT + ')', 'Allow entities in this account to perform actions.', 'rw-radio', true);
const acctOther = radio('rw-acct', 'other', 'Another AWS account', 'Allow entities in another AWS account to perform actions.');
const acctId = h('input', { type: 'text', inputmode: 'numeric', maxlength: '12' });
const acctIdField = field('Account ID', acctId, 'Identifier of the account that can use this role');
const extChk = checkbox('Require external ID (Best practice when a third party will assume this role)',
  'You can increase the security of your role by requiring an optional external identifier, which prevents "confused deputy" attacks.');
const extId = h('input', { type: 'text' });
const extField = field('External ID', extId);
const mfaChk = checkbox('Require MFA', 'Requires that the assuming entity use multi-factor authentication.');
const acctPanel = panel('An AWS account', { desc: 'Allow entities in other AWS accounts belonging to you or a 3rd party to perform actions in this account.' },
  h('div', { role: 'radiogroup', 'aria-label': 'An AWS account', class: 'rw-stack' }, acctThis, acctOther), acctIdField,
  h('h3', { class: 'rw-sub', text: 'Options' }), extChk, extField, mfaChk);
const syncAcct = () => { show(acctIdField, acctOther.input.checked); show(extField, extChk.input.checked); };

// Web identity
const webSel = h('select', { id: nid('web') }, option('Choose an identity provider', '', { disabled: true, selected: true }),
  WEB_BUILTIN.map(b => option(b.name, 'b:' + b.id)),
  OIDC.length ? h('optgroup', { label: 'OpenID Connect providers' }, OIDC.map((p, i) => option(p.url || p.arn, 'o:' + i))) : null);
const audIn = h('input', { type: 'text' });
const audInField = field('Audience', audIn);
const audSel = h('select', { id: nid('aud') });
const audSelField = field('Audience', audSel);
const webPanel = panel('Web identity', { desc: 'Allows users federated by the specified external web identity provider to assume this role.' },
  field('Identity provider', webSel), audInField, audSelField);
function webProvider() {
  const v = webSel.value;
  if (v.startsWith('b:')) return Object.assign({ builtin: true }, WEB_BUILTIN.find(b => 'b:' + b.id === v));
  if (v.startsWith('o:')) {
    const p = OIDC[+v.slice(2)];
    const url = String(p.url || p.arn.replace(/^.*?:oidc-provider\//, '')).replace(/^https:\/\//, '');
    return { oidc: p, host: url, key: 'aud', arn: p.arn, audiences: Array.isArray(p.audiences) ? p.audiences : [] };
  }
  return null;
}
function syncWeb() {
  const p = webProvider();
  const list = p && p.oidc && p.audiences.length;
  show(audInField, !!p && !list);
  show(audSelField, !!list);
  if (p && !list) audInField.labelEl.textContent = p.builtin ? p.field : 'Audience';
  if (list && audSel.dataset.for !== webSel.value) {
    audSel.replaceChildren(...p.audiences.map(a => option(String(a))));
    audSel.dataset.for = webSel.value;
  }
}
webSel.addEventListener('change', syncWeb);

// SAML 2.0 federation
const samlSel = SAMLP.length ? h('select', { id: nid('saml') }, option('Choose a SAML 2.0 provider', '', { disabled: true, selected: SAMLP.length > 1 }),
  SAMLP.map((p, i) => option(p.name || p.arn.replace(/^.*:saml-provider\//, ''), p.arn, { selected: SAMLP.length === 1 && i === 0 }))) : null;
const samlProg = radio('rw-saml', 'prog', 'Allow programmatic access only', null, 'rw-radio', true);
const samlConsole = radio('rw-saml', 'console', 'Allow programmatic and AWS Management Console access');
const samlPanel = panel('SAML 2.0 federation', { desc: 'Allow users federated with SAML 2.0 from a corporate directory to perform actions in this account.' },
  samlSel ? field('SAML 2.0–based provider', samlSel) :
    h('div', { class: 'alert info rw-alert', role: 'status' }, 'SAML 2.0–based provider: none exist in this account. Create one in IAM › Identity providers first.'),
  h('div', { role: 'radiogroup', 'aria-label': 'Access to be allowed', class: 'rw-stack' }, samlProg, samlConsole));

// Custom trust policy
const customTa = h('textarea', { class: 'rw-code', rows: '16', spellcheck: 'false', autocapitalize: 'off' });
customTa.value = TEMPLATE;
const customPanel = panel('Custom trust policy', { desc: 'Create a custom trust policy to enable others to perform actions in this account.' },
  field('Custom trust policy', customTa, 'JSON. Add a principal and, if needed, conditions.'));

const next1 = btn('Next', { onclick: () => go(2) }, 'primary');
s1.append(entityPanel, svcPanel, acctPanel, webPanel, samlPanel, customPanel, actions(next1));
const entityPanels = { 'AWS service': svcPanel, 'AWS account': acctPanel, 'Web identity': webPanel, 'SAML 2.0 federation': samlPanel, 'Custom trust policy': customPanel };
function syncEntity() {
  const e = entity();
  for (const k of Object.keys(entityPanels)) show(entityPanels[k], k === e);
  for (const r of entityRadios) r.classList.toggle('rw-on', r.input.checked);
  syncAcct(); syncWeb(); syncUseCase();
}
s1.addEventListener('change', () => { st.trustOverride = null; syncEntity(); });
s1.addEventListener('input', () => { st.trustOverride = null; });

function jsonError(text, e) {
  const msg = String(e && e.message || 'Invalid JSON');
  let ln, col;
  const lc = /line (\d+) column (\d+)/.exec(msg), pos = /position (\d+)/.exec(msg);
  if (lc) { ln = +lc[1]; col = +lc[2]; } else {
    const lines = text.slice(0, pos ? +pos[1] : text.length).split('\n');
    ln = lines.length; col = lines[lines.length - 1].length + 1;
  }
  const why = msg.replace(/^JSON\.parse: /, '').replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+.*$/, '').replace(/ of the JSON data$/, '');
  return 'JSON syntax error at Ln ' + ln + ', Col ' + col + ': ' + why;
}

// The trust policy for the current step-1 choices: {text, errors: [[control, message]]}.
function trust() {
  const errors = [], bad = (c, m) => errors.push([c, m]);
  const doc = s => pretty({ Version: '2012-10-17', Statement: [s] });
  let text = '';
  switch (entity()) {
    case 'AWS service': {
      const uc = st.useCase;
      if (!svcSel.value) bad(svcSel, 'Choose a service or use case.');
      else if (!uc) bad(ucErr, 'Choose a use case.');
      else if (uc.slr) bad(null, 'Service-linked role');
      if (uc) text = doc({ Effect: 'Allow', Action: ['sts:AssumeRole'], Principal: { Service: [uc.principal] } });
      break;
    }
    case 'AWS account': {
      let acct = ACCOUNT;
      if (acctOther.input.checked) {
        acct = acctId.value.trim();
        if (!/^\d{12}$/.test(acct)) bad(acctId, 'Enter a valid 12-digit AWS account ID.');
      }
      const cond = {};
      if (extChk.input.checked) {
        const x = extId.value;
        if (!/^[\w+=,.@:/-]{2,1224}$/.test(x)) bad(extId, 'Enter an external ID of 2 to 1224 characters: letters, digits and +=,.@:/-_');
        cond.StringEquals = { 'sts:ExternalId': x };
      }
      if (mfaChk.input.checked) cond.Bool = { 'aws:MultiFactorAuthPresent': 'true' };
      text = doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::' + acct + ':root' }, Action: 'sts:AssumeRole', Condition: cond });
      break;
    }
    case 'Web identity': {
      const p = webProvider();
      if (!p) { bad(webSel, 'Choose an identity provider.'); break; }
      const list = p.oidc && p.audiences.length;
      const aud = list ? audSel.value : audIn.value.trim();
      if (!aud) bad(list ? audSel : audIn, 'Enter ' + (p.builtin ? p.field : 'an audience') + '.');
      text = doc({ Effect: 'Allow', Principal: { Federated: p.builtin ? p.host : p.arn }, Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringEquals: { [p.host + ':' + p.key]: aud } } });
      break;
    }
    case 'SAML 2.0 federation': {
      const arn = samlSel ? samlSel.value : '';
      if (!samlSel) bad(null, 'No SAML 2.0 provider exists in this account.');
      else if (!arn) bad(samlSel, 'Choose a SAML 2.0–based provider.');
      text = doc({ Effect: 'Allow', Principal: { Federated: arn }, Action: samlConsole.input.checked ? ['sts:AssumeRoleWithSAML', 'sts:TagSession'] : 'sts:AssumeRoleWithSAML',
        Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } } });
      break;
    }
    default: {
      text = customTa.value;
      try {
        const o = JSON.parse(text);
        if (!o || typeof o !== 'object' || Array.isArray(o)) bad(customTa, 'The trust policy must be a JSON object.');
        else if (!o.Statement) bad(customTa, 'The trust policy needs a "Statement".');
      } catch (e) { bad(customTa, jsonError(text, e)); }
    }
  }
  if (st.trustOverride) return { text: st.trustOverride, errors: [] };
  return { text, errors };
}
const errorCtls = [svcSel, acctId, extId, webSel, audIn, audSel, customTa].concat(samlSel ? [samlSel] : []);
function validate1() {
  errorCtls.forEach(c => setErr(c, ''));
  ucErr.hidden = true;
  const t = trust();
  let first = null;
  for (const [c, m] of t.errors) {
    if (c === ucErr) { ucErr.textContent = m; ucErr.hidden = false; first = first || ucBox.querySelector('input'); }
    else if (c) { setErr(c, m); first = first || c; }
    else first = first || next1;
  }
  if (first && first !== next1) first.focus();
  return !t.errors.length;
}

/* step 2: Add permissions */
const s2 = sections[1];
const search = h('input', { type: 'search', 'aria-label': 'Search', placeholder: 'Filter policies by property or policy name and press enter' });
const typeSel = h('select', { id: nid('type') }, ['All types', 'AWS managed', 'Customer managed', 'AWS managed - job function'].map(t => option(t)));
const loadAlert = h('div', { class: 'alert error rw-alert', role: 'alert', hidden: true });
const selCount = h('span', { class: 'rw-count', 'aria-live': 'polite' });
const matchCount = h('span', { class: 'rw-matches', 'aria-live': 'polite' });
const tbody = h('tbody');
const table = h('table', { class: 'list rw-table' },
  h('thead', null, h('tr', null, h('th', { scope: 'col', class: 'rw-cbcol' }, h('span', { class: 'rw-sr', text: 'Select' })),
    h('th', { scope: 'col', text: 'Policy name' }), h('th', { scope: 'col', text: 'Type' }), h('th', { scope: 'col', text: 'Description' }))), tbody);
const prevPage = btn('‹', { 'aria-label': 'Previous page', onclick: () => turn(-1) }, 'rw-pagebtn');
const nextPage = btn('›', { 'aria-label': 'Next page', onclick: () => turn(1) }, 'rw-pagebtn');
const pageNo = h('span', { class: 'rw-pageno', 'aria-live': 'polite' });
const polPanel = panel('Permissions policies', { desc: 'Choose one or more policies to attach to your new role.' },
  loadAlert,
  h('div', { class: 'rw-filters' }, h('div', { class: 'rw-search' }, search),
    h('div', { class: 'rw-typefilter' }, h('label', { for: typeSel.id, class: 'rw-sr', text: 'Filter by Type' }), typeSel),
    h('div', { class: 'rw-pager', role: 'navigation', 'aria-label': 'Pagination' }, prevPage, pageNo, nextPage)),
  h('div', { class: 'rw-meta' }, selCount, matchCount),
  h('div', { class: 'rw-tablewrap' }, table));

// Permissions boundary
const pbBody = h('div', { class: 'rw-pb-body', id: nid('pb'), hidden: true });
const pbToggle = btn('Set permissions boundary - optional', { 'aria-expanded': 'false', 'aria-controls': pbBody.id, onclick: () => {
  const open = pbToggle.getAttribute('aria-expanded') !== 'true';
  pbToggle.setAttribute('aria-expanded', String(open));
  show(pbBody, open);
} }, 'rw-expander');
const pbNone = radio('rw-pb', 'none', 'Create role without a permissions boundary', null, 'rw-radio', true);
const pbUse = radio('rw-pb', 'use', 'Use a permissions boundary to control the maximum role permissions');
const pbSearch = h('input', { type: 'search', 'aria-label': 'Search permissions boundary policies', placeholder: 'Filter policies by name' });
const pbSel = h('select', { id: nid('pbsel'), size: '8' });
const pbPick = h('div', { class: 'rw-pb-pick', hidden: true }, pbSearch, field('Permissions boundary policy', pbSel, 'Choose the policy whose permissions are the maximum this role can have.'));
pbBody.append(h('p', { class: 'hint', text: 'Set a permissions boundary to control the maximum permissions for this role. This is an advanced feature used to delegate permission management to others.' }),
  h('div', { role: 'radiogroup', 'aria-label': 'Permissions boundary', class: 'rw-stack' }, pbNone, pbUse), pbPick);
const pbPanel = h('section', { class: 'panel rw-panel rw-pb' }, h('header', { class: 'rw-panel-head' }, h('h2', null, pbToggle)), pbBody);
function syncPb() { show(pbPick, pbUse.input.checked); if (pbUse.input.checked) fillPb(); }
function fillPb() {
  const q = pbSearch.value.trim().toLowerCase();
  const list = (st.policies || []).filter(p => !q || p.name.toLowerCase().includes(q) || p.arn === st.boundary);
  if (st.boundary && !list.some(p => p.arn === st.boundary)) list.unshift(policyFor(st.boundary));
  pbSel.replaceChildren(...list.map(p => option(p.name, p.arn, { selected: p.arn === st.boundary, title: p.type })));
}
pbNone.input.addEventListener('change', syncPb);
pbUse.input.addEventListener('change', syncPb);
pbSearch.addEventListener('input', fillPb);
pbSearch.addEventListener('keydown', e => { if (e.key === 'Enter') e.preventDefault(); });
pbSel.addEventListener('change', () => { st.boundary = pbSel.value; setErr(pbSel, ''); });

const prev2 = btn('Previous', { onclick: () => go(1) });
const next2 = btn('Next', { onclick: () => go(3) }, 'primary');
s2.append(polPanel, pbPanel, actions(prev2, next2));

function policyFor(arn) {
  const known = st.byArn.get(arn);
  if (known) return known;
  return { arn, name: arn.replace(/^.*:policy\//, '').replace(/^.*\//, ''), description: '',
    type: /^arn:aws[\w-]*:iam::aws:policy\//.test(arn) ? 'AWS managed' : 'Customer managed' };
}
function applyFilter(keepPage) {
  const q = search.value.trim().toLowerCase(), t = typeSel.value;
  st.view = (st.policies || []).filter(p => (t === 'All types' || p.type === t) && (!q || p.name.toLowerCase().includes(q)));
  if (!keepPage) st.page = 1;
  renderTable();
}
function turn(d) { st.page += d; renderTable(); }
function counts() {
  const n = st.selected.size, total = st.policies ? st.policies.length : 0;
  polPanel.titleEl.textContent = 'Permissions policies (' + n + '/' + total + ')';
  selCount.textContent = n === 1 ? '1 policy selected' : n + ' policies selected';
}
function renderTable() {
  counts();
  const pages = Math.max(1, Math.ceil(st.view.length / PAGE));
  st.page = Math.min(Math.max(1, st.page), pages);
  prevPage.disabled = st.page <= 1;
  nextPage.disabled = st.page >= pages;
  pageNo.textContent = 'Page ' + st.page + ' of ' + pages;
  const filtering = search.value.trim() || typeSel.value !== 'All types';
  matchCount.textContent = st.policies && filtering ? (st.view.length === 1 ? '1 match' : st.view.length + ' matches') : '';
  if (!st.policies) {
    tbody.replaceChildren(h('tr', null, h('td', { colspan: '4', class: 'rw-empty', text: loadAlert.hidden ? 'Loading policies…' : 'No policies to show.' })));
    return;
  }
  if (!st.view.length) {
    tbody.replaceChildren(h('tr', null, h('td', { colspan: '4', class: 'rw-empty', text: 'No policies match the filter.' })));
    return;
  }
  const rows = st.view.slice((st.page - 1) * PAGE, st.page * PAGE).map(p => {
    const on = st.selected.has(p.arn);
    const cb = h('input', { type: 'checkbox', id: 'rw-pol-' + p.idx, 'aria-label': p.name, checked: on });
    const tr = h('tr', { class: on ? 'rw-selrow' : null },
      h('td', { class: 'rw-cbcol' }, cb),
      h('td', { class: 'rw-pname' }, h('label', { for: cb.id, text: p.name })),
      h('td', { class: 'rw-ptype', text: p.type }),
      h('td', { class: 'rw-pdesc', text: p.description }));
    cb.addEventListener('change', () => {
      if (cb.checked) st.selected.set(p.arn, p); else st.selected.delete(p.arn);
      tr.classList.toggle('rw-selrow', cb.checked);
      counts();
    });
    return tr;
  });
  tbody.replaceChildren(...rows);
}
let searchTimer = 0;
search.addEventListener('input', () => { clearTimeout(searchTimer); searchTimer = setTimeout(() => applyFilter(), 150); });
search.addEventListener('keydown', e => { if (e.key === 'Enter') { e.preventDefault(); clearTimeout(searchTimer); applyFilter(); } });
typeSel.addEventListener('change', () => applyFilter());

function loadPolicies() {
  const url = form.dataset.policies;
  const fail = msg => {
    loadAlert.textContent = msg;
    loadAlert.hidden = false;
    renderTable();
  };
  if (!url) return fail('The policy list is not available.');
  fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
    .then(r => r.text().then(t => {
      let j = null;
      try { j = JSON.parse(t); } catch (e) { /* not JSON */ }
      if (j && typeof j.error === 'string') throw new Error(j.error);
      if (j && j.error && typeof j.error.message === 'string') throw new Error(j.error.message);
      if (!r.ok || !j || !Array.isArray(j.policies)) throw new Error('Could not load the policy list (HTTP ' + r.status + ').');
      return j.policies;
    }))
    .then(list => {
      st.policies = list.filter(p => p && typeof p.arn === 'string').map((p, i) => ({
        idx: i, arn: p.arn, name: String(p.name || policyFor(p.arn).name),
        type: String(p.type || policyFor(p.arn).type), description: p.description == null ? '' : String(p.description)
      })).sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }));
      st.policies.forEach(p => st.byArn.set(p.arn, p));
      for (const arn of Array.from(st.selected.keys())) st.selected.set(arn, policyFor(arn));
      applyFilter();
      if (pbUse.input.checked) fillPb();
      if (st.step === 3) renderReview();
    })
    .catch(e => fail(String(e && e.message || e)));
}
function validate2() {
  setErr(pbSel, '');
  if (pbUse.input.checked && !st.boundary) {
    if (pbToggle.getAttribute('aria-expanded') !== 'true') pbToggle.click();
    setErr(pbSel, 'Choose a policy to use as the permissions boundary.');
    pbSel.focus();
    return false;
  }
  return true;
}

/* step 3: Name, review, and create */
const s3 = sections[2];
const nameIn = h('input', { type: 'text', maxlength: '64', spellcheck: 'false' });
const descIn = h('textarea', { rows: '3', maxlength: '1000' });
const detailsPanel = panel('Role details', null,
  field('Role name', nameIn, "Maximum 64 characters. Use alphanumeric and '+=,.@-_' characters.", 'Enter a meaningful name to identify this role.'),
  field('Description', descIn, 'Maximum 1000 characters.', 'Add a short explanation for this role.'));
descIn.addEventListener('input', () => { st.autoDesc = null; });
const trustPre = h('pre', { class: 'rw-code rw-pre', tabindex: '0', 'aria-label': 'Trust policy' });
const edit = (n, label) => btn('Edit', { 'aria-label': label, onclick: () => go(n) });
const reviewTrust = panel('Step 1: Select trusted entities', { actions: edit(1, 'Edit step 1: Select trusted entities') },
  h('h3', { class: 'rw-sub', text: 'Trust policy' }), trustPre);
const sumBody = h('tbody');
const sumTable = h('table', { class: 'list rw-table' }, h('caption', { class: 'rw-sub', text: 'Permissions policy summary' }),
  h('thead', null, h('tr', null, ['Policy name', 'Type', 'Attached as'].map(t => h('th', { scope: 'col', text: t })))), sumBody);
const reviewPerms = panel('Step 2: Add permissions', { actions: edit(2, 'Edit step 2: Add permissions') }, sumTable);
const tagList = h('div', { class: 'rw-tags' });
const tagLeft = h('p', { class: 'hint' });
const addTag = btn('Add new tag', { onclick: () => { newTag('', ''); const t = st.tags[st.tags.length - 1]; if (t) t.key.focus(); } });
const reviewTags = panel('Step 3: Add tags - optional', { desc: 'Tags are key-value pairs that you can add to AWS resources to help identify, organize, or search for resources.' },
  tagList, h('div', { class: 'rw-tagbar' }, addTag, tagLeft));
const prev3 = btn('Previous', { onclick: () => go(2) });
const create = h('button', { type: 'submit', class: 'primary' }, 'Create role');
s3.append(detailsPanel, reviewTrust, reviewPerms, reviewTags, actions(prev3, create));

function newTag(k, v) {
  if (st.tags.length >= MAX_TAGS) return;
  const key = h('input', { type: 'text', maxlength: '128' });
  const val = h('input', { type: 'text', maxlength: '256' });
  key.value = k || ''; val.value = v || '';
  const n = st.tags.length + 1;
  const t = { key, val };
  const rm = btn('Remove', { 'aria-label': 'Remove', onclick: () => {
    const i = st.tags.indexOf(t);
    st.tags.splice(i, 1);
    t.row.remove();
    syncTags();
    (st.tags[Math.min(i, st.tags.length - 1)] || { key: addTag }).key.focus();
  } });
  t.row = h('div', { class: 'rw-tagrow', role: 'group', 'aria-label': 'Tag ' + n },
    field('Key', key), field('Value - optional', val), h('div', { class: 'rw-tagrm' }, rm));
  st.tags.push(t);
  tagList.append(t.row);
  syncTags();
}
function syncTags() {
  const left = MAX_TAGS - st.tags.length;
  addTag.disabled = left <= 0;
  tagLeft.textContent = st.tags.length ? 'You can add up to ' + left + ' more tags.' : 'No tags associated with the resource. You can add up to ' + MAX_TAGS + ' tags.';
  st.tags.forEach((t, i) => t.row.setAttribute('aria-label', 'Tag ' + (i + 1)));
}
function renderReview() {
  trustPre.textContent = trust().text;
  const row = (p, as) => h('tr', null, [p.name, p.type, as].map(t => h('td', { text: t })));
  const rows = Array.from(st.selected.values()).map(p => row(p, 'Permissions policy'));
  if (pbUse.input.checked && st.boundary) {
    const b = policyFor(st.boundary);
    rows.push(row(b, 'Permissions boundary'));
  }
  if (!rows.length) rows.push(h('tr', null, h('td', { colspan: '3', class: 'rw-empty', text: 'No policies selected. The role has no permissions until you attach some.' })));
  sumBody.replaceChildren(...rows);
}
const TAGCHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const CHARS = 'Use letters, numbers, spaces and _.:/=+-@ in the ';
const DESCCHARS = /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/;
function validate3() {
  const errs = [];
  const check = (c, m) => { setErr(c, m); if (m) errs.push(c); };
  const name = nameIn.value;
  check(nameIn, !name ? 'Enter a role name.' : name.length > 64 ? 'The role name can have at most 64 characters.' :
    !/^[\w+=,.@-]{1,64}$/.test(name) ? "Use only alphanumeric and '+=,.@-_' characters in the role name." : '');
  const d = descIn.value;
  check(descIn, d.length > 1000 ? 'The description can have at most 1000 characters.' :
    !DESCCHARS.test(d) ? 'The description can contain only basic Latin and Latin-1 characters.' : '');
  const seen = new Set();
  for (const t of st.tags) {
    const k = t.key.value, v = t.val.value;
    check(t.key, !k ? 'Enter a key.' : k.length > 128 ? 'The key can have at most 128 characters.' : !TAGCHARS.test(k) ?
      CHARS + 'key.' : /^aws:/i.test(k) ? 'Keys cannot start with "aws:".' :
      seen.has(k) ? 'This key is already used.' : '');
    seen.add(k);
    check(t.val, v.length > 256 ? 'The value can have at most 256 characters.' : !TAGCHARS.test(v) ? CHARS + 'value.' : '');
  }
  if (errs.length) errs[0].focus();
  return !errs.length;
}

/* navigation */
function renderNav() {
  stepNav.replaceChildren(...STEPS.map((t, i) => {
    const n = i + 1, cur = n === st.step;
    const body = [h('span', { class: 'rw-stepno', text: 'Step ' + n }), h('span', { class: 'rw-stepname', text: t })];
    return h('li', { class: 'rw-navitem' + (cur ? ' rw-current' : n < st.step ? ' rw-done' : ''), 'aria-current': cur ? 'step' : null },
      n < st.step ? btn(body, { class: 'rw-navlink', onclick: () => go(n) }) : h('div', { class: 'rw-navtext' }, body));
  }));
}
function go(n, quiet) {
  if (n > st.step && st.step === 1 && !validate1()) return;
  if (n > st.step && st.step <= 2 && n === 3 && !validate2()) return;
  st.step = n;
  sections.forEach((s, i) => show(s, i + 1 === n));
  if (n === 2 && st.policies) renderTable();
  if (n === 3) renderReview();
  renderNav();
  if (!quiet) {
    window.scrollTo(0, 0);
    sections[n - 1].h1.focus({ preventScroll: true });
  }
}

/* submit */
function post(name, value) { postBox.append(h('input', { type: 'hidden', name, value: String(value) })); postBox.lastChild.removeAttribute('form'); }
form.addEventListener('submit', e => {
  if (st.submitting) { e.preventDefault(); return; }
  if (st.step !== 3 || !validate3()) { e.preventDefault(); return; }
  postBox.replaceChildren();
  const ent = entity();
  post('RoleName', nameIn.value);
  if (descIn.value) post('Description', descIn.value);
  post('AssumeRolePolicyDocument', trust().text);
  post('TrustedEntityType', ent);
  if (ent === 'AWS service' && st.useCase) { post('ServiceUseCase', svcSel.value); post('Service', st.useCase.principal); }
  if (pbUse.input.checked && st.boundary) post('PermissionsBoundary', st.boundary);
  Array.from(st.selected.keys()).forEach((arn, i) => post('PolicyArns.member.' + (i + 1), arn));
  st.tags.forEach((t, i) => { post('Tags.member.' + (i + 1) + '.Key', t.key.value); post('Tags.member.' + (i + 1) + '.Value', t.val.value); });
  st.submitting = true;
  create.disabled = true;
  create.setAttribute('aria-busy', 'true');
});
window.addEventListener('pageshow', ev => { if (ev.persisted) { st.submitting = false; create.disabled = false; create.removeAttribute('aria-busy'); } });

/* restore after a server-side refusal */
function restore(init) {
  const one = k => { const v = init[k]; return Array.isArray(v) ? v[0] : v; };
  const str = k => (one(k) == null ? '' : String(one(k)));
  const members = re => Object.keys(init).map(k => [re.exec(k), k]).filter(x => x[0]).sort((a, b) => a[0][1] - b[0][1]);
  const ent = str('TrustedEntityType');
  const docText = str('AssumeRolePolicyDocument');
  let doc = null;
  try { doc = JSON.parse(docText); } catch (e) { /* keep text */ }
  const s0 = doc && Array.isArray(doc.Statement) ? doc.Statement[0] || {} : doc && doc.Statement || {};
  const pr = s0.Principal || {}, cond = s0.Condition || {}, eq = cond.StringEquals || {};
  const r = entityRadios.find(x => x.input.value === ent) || (docText ? entityRadios[4] : entityRadios[0]);
  r.input.checked = true;
  const kind = r.input.value;
  if (kind === 'AWS service') {
    const uc = str('ServiceUseCase'), svcP = str('Service');
    const svc = serviceByName(uc) || SERVICES.find(s => s.useCases.some(u => u.name === uc)) ||
      SERVICES.find(s => s.useCases.some(u => u.principal === svcP));
    if (svc) {
      svcSel.value = svc.name;
      const d = str('Description');
      const pick = svc.useCases.find(u => u.principal === svcP && u.desc === d) ||
        svc.useCases.find(u => u.name === uc && (!svcP || u.principal === svcP)) || svc.useCases.find(u => u.principal === svcP && !u.slr);
      renderUseCases(pick);
    }
  } else if (kind === 'AWS account') {
    const m = /^arn:aws[\w-]*:iam::(\d{12}):root$/.exec(String(pr.AWS || '')) || /^(\d{12})$/.exec(String(pr.AWS || ''));
    if (m && m[1] !== ACCOUNT) { acctOther.input.checked = true; acctId.value = m[1]; }
    if (eq['sts:ExternalId'] != null) { extChk.input.checked = true; extId.value = String(eq['sts:ExternalId']); }
    mfaChk.input.checked = !!(cond.Bool && String(cond.Bool['aws:MultiFactorAuthPresent']) === 'true');
  } else if (kind === 'Web identity') {
    const fed = String(pr.Federated || '');
    const b = WEB_BUILTIN.find(x => x.host === fed), oi = OIDC.findIndex(p => p.arn === fed);
    webSel.value = b ? 'b:' + b.id : oi >= 0 ? 'o:' + oi : '';
    syncWeb();
    const p = webProvider();
    const aud = p ? eq[p.host + ':' + p.key] : null;
    if (aud != null) { audIn.value = String(aud); if (p.oidc && Array.from(audSel.options).some(o => o.value === String(aud))) audSel.value = String(aud); }
  } else if (kind === 'SAML 2.0 federation') {
    if (samlSel && SAMLP.some(p => p.arn === pr.Federated)) samlSel.value = pr.Federated;
    samlConsole.input.checked = Array.isArray(s0.Action) && s0.Action.includes('sts:TagSession');
    samlProg.input.checked = !samlConsole.input.checked;
  }
  if (kind === 'Custom trust policy') { if (docText) customTa.value = docText; } else if (docText) st.trustOverride = docText;
  syncEntity();
  nameIn.value = str('RoleName');
  descIn.value = str('Description');
  st.autoDesc = null;
  const arns = members(/^PolicyArns\.member\.(\d+)$/).map(x => one(x[1]));
  const flat = [].concat(arns, init.PolicyArns || []).flat().filter(a => typeof a === 'string' && a);
  flat.forEach(a => st.selected.set(a, policyFor(a)));
  const pb = str('PermissionsBoundary');
  if (pb) { st.boundary = pb; pbUse.input.checked = true; pbToggle.setAttribute('aria-expanded', 'true'); show(pbBody, true); syncPb(); }
  members(/^Tags\.member\.(\d+)\.Key$/).forEach(x => newTag(str(x[1]), str('Tags.member.' + x[0][1] + '.Value')));
  if (Array.isArray(init.Tags)) init.Tags.forEach(t => t && newTag(String(t.Key || ''), String(t.Value || '')));
  go(init.step === 'review' ? 3 : init.step === 'permissions' ? 2 : 1, true);
}

syncTags();
syncEntity();
renderTable();
if (INIT) {
  try { restore(INIT); } catch (e) { go(1, true); }
} else go(1, true);
loadPolicies();
})();
