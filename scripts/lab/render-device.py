#!/usr/bin/python3
# Renders a LAVA device dictionary (a .jinja2 that extends a device type,
# e.g. {% extends 'qemu.jinja2' %}) into the device YAML lava-run reads,
# with a job's context -- what a LAVA server does before it hands a job to
# a worker. `pipehang --lab lava-run --lab-device DEV.jinja2` calls it for
# every job, since the context (arch, no_kvm, memory, extra_options)
# decides the QEMU command line.
#
# Usage: render-device.py TEMPLATE OUT [CONTEXT_JSON]
#   TEMPLATE      the device dictionary
#   OUT           the device YAML to write
#   CONTEXT_JSON  a JSON object of job context variables (default {})
# Device types are searched beside TEMPLATE, then in LAVA's own folders.
# Exit: 0 written, 2 usage, 1 the template cannot be rendered.
import json
import os
import sys

SEARCH = [
    "/etc/lava-server/dispatcher-config/device-types",
    "/usr/share/lava-server/device-types",
]


def main():
    if len(sys.argv) not in (3, 4):
        print("usage: render-device.py TEMPLATE OUT [CONTEXT_JSON]", file=sys.stderr)
        return 2
    template, out = sys.argv[1], sys.argv[2]
    try:
        context = json.loads(sys.argv[3]) if len(sys.argv) == 4 else {}
    except json.JSONDecodeError as e:
        print(f"render-device: context is not JSON: {e}", file=sys.stderr)
        return 2
    if not isinstance(context, dict):
        print("render-device: context must be a JSON object", file=sys.stderr)
        return 2
    try:
        import jinja2
    except ImportError:
        print("render-device: python3-jinja2 is missing (apt-get install python3-jinja2)", file=sys.stderr)
        return 1
    folders = [os.path.dirname(os.path.abspath(template))] + [d for d in SEARCH if os.path.isdir(d)]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folders), autoescape=False, trim_blocks=True)
    try:
        text = env.get_template(os.path.basename(template)).render(**context)
    except jinja2.TemplateError as e:
        print(f"render-device: {template}: {e}", file=sys.stderr)
        return 1
    with open(out, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
