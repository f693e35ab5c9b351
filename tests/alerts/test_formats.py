"""Output formats: the head, values back to fields, and Falco's additions after them."""

from __future__ import annotations

from falco_exceptions.alerts.formats import TextEvent, compile_output, message_of
from falco_exceptions.catalog import load_bundled_catalog

OLD = load_bundled_catalog("falco-0.26.2").rules
NEW = load_bundled_catalog("falco-rules-5.1.0").rules
UNTRUSTED_026 = compile_output("r", OLD["Read sensitive file untrusted"].output)
UNTRUSTED_051 = compile_output("r", NEW["Read sensitive file untrusted"].output)
BODY = (
    "Sensitive file opened for reading by non-trusted program (user=root user_loginuid=-1 "
    "program=awsagent command=awsagent file=/etc/pam.d/config-util parent=systemd gparent= "
    "ggparent= gggparent= container_id=host image=) k8s.ns= k8s.pod= container=host "
    "k8s.ns= k8s.pod= container=host"
)


def test_the_founding_alert_reads_back_through_its_output_format() -> None:
    assert UNTRUSTED_026.head == "Sensitive file opened for reading by non-trusted program ("
    event = UNTRUSTED_026.parse(BODY)
    assert event is not None
    assert dict(event) == {
        "user.name": "root",
        "user.loginuid": "-1",
        "proc.name": "awsagent",
        "proc.cmdline": "awsagent",
        "fd.name": "/etc/pam.d/config-util",
        "proc.pname": "systemd",
        "proc.aname[2]": None,
        "proc.aname[3]": None,
        "proc.aname[4]": None,
        "container.id": "host",
        "container.image.repository": None,  # `image=)`: the trailer is not the value
        "k8s.ns.name": None,
        "k8s.pod.name": None,
    }


def test_values_with_spaces_and_key_like_words_run_to_the_next_key_of_the_output() -> None:
    body = BODY.replace("command=awsagent", "command=java -Dfile=x user=y --run")
    event = UNTRUSTED_026.parse(body)
    assert event is not None
    assert event["proc.cmdline"] == "java -Dfile=x user=y --run"
    assert event["fd.name"] == "/etc/pam.d/config-util"


def test_the_pipe_style_of_falco_rules_4_with_the_container_plugin_fields() -> None:
    body = (
        "Sensitive file opened for reading by non-trusted program | file=/etc/shadow "
        "gparent=sshd ggparent=<NA> gggparent=<NA> evt_type=openat user=root user_uid=0 "
        "user_loginuid=-1 process=cat proc_exepath=/usr/bin/cat parent=bash "
        "command=cat /etc/shadow terminal=34816 container_id=0123456789ab container_name=web"
    )
    event = UNTRUSTED_051.parse(body)
    assert isinstance(event, TextEvent)  # the usual layout is read lazily
    assert event["proc.name"] == "cat"
    assert event["proc.aname[3]"] is None  # <NA> is unset
    assert event["proc.tty"] == "34816"
    assert event["container.id"] == "0123456789ab"
    assert event["container.name"] == "web"
    assert "k8s.ns.name" not in event


def test_keys_in_another_order_are_still_read_by_key() -> None:
    body = (
        "Sensitive file opened for reading by non-trusted program (file=/etc/x program=agent "
        "user=root command=agent -v)"
    )
    event = UNTRUSTED_026.parse(body)
    assert event is not None and not isinstance(event, TextEvent)
    assert event["fd.name"] == "/etc/x"
    assert event["proc.name"] == "agent"
    assert event["proc.cmdline"] == "agent -v"


def test_container_info_in_every_form_falco_wrote_it() -> None:
    output = "Something ran (user=%user.name command=%proc.cmdline %container.info)"
    compiled = compile_output("r", output)
    pk = compiled.parse(
        "Something ran (user=root command=ls -l k8s.ns=kube-system k8s.pod=agent-x "
        "container=abc123)"
    )
    old = compiled.parse("Something ran (user=root command=ls -l web (id=abc123))")
    plugin = compiled.parse(
        "Something ran (user=root command=ls -l container_id=abc123 container_name=web)"
    )
    assert pk is not None and old is not None and plugin is not None
    assert (pk["proc.cmdline"], pk["k8s.ns.name"], pk["container.id"]) == (
        "ls -l",
        "kube-system",
        "abc123",
    )
    assert (old["proc.cmdline"], old["container.name"], old["container.id"]) == (
        "ls -l",
        "web",
        "abc123",
    )
    assert (plugin["proc.cmdline"], plugin["container.name"]) == ("ls -l", "web")


def test_two_fields_under_one_key_split_at_the_last_separator() -> None:
    compiled = compile_output(
        "r", "Cron (command=%proc.cmdline image=%container.image.repository:%container.image.tag)"
    )
    event = compiled.parse("Cron (command=crontab -e image=registry:5000/team/app:1.2)")
    assert event is not None
    assert event["container.image.repository"] == "registry:5000/team/app"
    assert event["container.image.tag"] == "1.2"


def test_values_in_the_message_itself() -> None:
    rule = NEW["Backdoored library loaded into SSHD (CVE-2024-3094)"]
    compiled = compile_output(rule.name, rule.output)
    event = compiled.parse(
        "SSHD loaded a backdoored version of liblzma library /usr/lib/liblzma.so.5 with parent "
        "systemd and cmdline sshd -D | process=sshd parent=systemd file=/usr/lib/liblzma.so.5 "
        "evt_type=mmap user=root user_uid=0 user_loginuid=-1 proc_exepath=/usr/sbin/sshd "
        "command=sshd -D terminal=0"
    )
    assert event is not None
    assert (event["fd.name"], event["proc.cmdline"], event["proc.name"]) == (
        "/usr/lib/liblzma.so.5",
        "sshd -D",
        "sshd",
    )


def test_a_text_of_another_rule_is_not_read() -> None:
    assert UNTRUSTED_026.parse("Sensitive file opened for reading by trusted program (x=1)") is None


def test_proc_name_from_the_command_line_when_the_output_has_no_proc_name() -> None:
    trusted = compile_output("r", OLD["Read sensitive file trusted after startup"].output)
    assert "proc.name" not in trusted.fields
    event = trusted.parse(
        "Sensitive file opened for reading by trusted program after startup (user=root "
        "user_loginuid=-1 command=awsagent --inventory parent=systemd "
        "file=/etc/pam.d/config-util parent=systemd gparent= container_id=host image=)"
    )
    assert event is not None
    assert event["proc.name"] == "awsagent"
    assert event["fd.name"] == "/etc/pam.d/config-util"  # the repeated parent= does not leak


def test_message_of_is_what_people_read_first() -> None:
    assert message_of(OLD["Read sensitive file untrusted"].output) == (
        "Sensitive file opened for reading by non-trusted program"
    )
    assert message_of(NEW["Read sensitive file untrusted"].output) == (
        "Sensitive file opened for reading by non-trusted program"
    )
