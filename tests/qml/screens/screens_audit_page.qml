import QtQuick
import QtQuick.Controls
import QtTest
import Tautband.Models
import Tautband.Ui

// The manager's audit screen: filters by kind, severity and user, the chain badge.
Item {
    id: root
    width: 1280
    height: 800

    Component { id: shellComponent; Shell { width: 1280; height: 800 } }
    Component { id: stopComponent; EmergencyStop {} }

    ScreensFixture {
        name: "AuditPage"
        root: root
        shellComponent: shellComponent
        stopComponent: stopComponent

        function init() {
            makeShell()
            logIn("manager", "manager-pass-1")
            tryVerify(() => screensAuth.loggedIn)
            verify(shell.showPage("audit"))
            tryVerify(() => shell.currentPage !== null && shell.currentPage.objectName === "page_audit")
            tryVerify(() => !screensAudit.busy && screensAudit.count > 0, 10000)
        }
        function cleanup() {
            screensAudit.clearFilters()
            tryVerify(() => !screensAudit.busy, 10000)
            logOutAll()
        }

        function actionsShown() {
            const out = []
            for (let i = 0; i < screensAudit.count; ++i)
                out.push(screensAudit.get(i).action)
            return out
        }

        function clickAndWait(name) {
            const button = findChild(shell.currentPage, name)
            verify(button !== null, name)
            mouseClick(button)
            tryVerify(() => !screensAudit.busy, 10000)
        }

        function test_filterLabelsAreReadableWhole() {
            for (const name of ["severity_all", "severity_critical", "severity_warning", "severity_info",
                                "kind_all", "kind_refusal", "kind_approval", "kind_fault", "kind_login"]) {
                const button = findChild(shell.currentPage, name)
                verify(button !== null, name)
                verify(button.height >= Theme.touchTarget, name + " height " + button.height)
                verify(!button.contentItem.truncated, name + " label cut off: " + button.text)
            }
        }

        function test_chainBadgeSaysIntact() {
            const text = findChild(shell.currentPage, "verifyText")
            tryVerify(() => screensAudit.verifyState === "intact", 15000, screensAudit.verifyText)
            verify(text.text.indexOf("Chain intact") >= 0, text.text)
            verifyEStopOnTop()
        }

        function test_refusalsFilter() {
            clickAndWait("kind_refusal")
            const actions = actionsShown()
            verify(actions.length >= 1)
            verify(actions.indexOf("safety.refused") >= 0)
            for (const a of actions)
                verify(a === "safety.refused" || a === "access.denied" || a.indexOf("supervisor.refused") === 0
                       || a.indexOf("auth.refused") === 0, a)
        }

        function test_approvalsFilter() {
            clickAndWait("kind_approval")
            const actions = actionsShown()
            verify(actions.indexOf("supervisor.approved") >= 0)
            for (const a of actions)
                verify(a === "supervisor.approved" || a === "safety.acknowledged", a)
        }

        function test_severityAndUserFilters() {
            clickAndWait("severity_warning")
            let actions = actionsShown()
            verify(actions.indexOf("auth.failed") >= 0 && actions.indexOf("safety.refused") >= 0)
            for (let i = 0; i < screensAudit.count; ++i)
                compare(screensAudit.get(i).severity, "warning")
            clickAndWait("severity_all")
            screensAudit.actorFilter = "admin"
            screensAudit.refresh()
            tryVerify(() => !screensAudit.busy, 10000)
            verify(screensAudit.count >= 1)
            for (let i = 0; i < screensAudit.count; ++i)
                compare(screensAudit.get(i).actor, "admin")
        }

        function test_dateFilter() {
            findChild(shell.currentPage, "auditFrom").text = "2001-01-01"
            findChild(shell.currentPage, "auditTo").text = "2001-01-02"
            clickAndWait("auditApply")
            compare(screensAudit.count, 0)
            findChild(shell.currentPage, "auditFrom").text = "not a date"
            clickAndWait("auditApply")
            verify(findChild(shell.currentPage, "auditMessageText").text.indexOf("YYYY-MM-DD") >= 0)
        }
    }
}
