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

        // The badge wraps to the height its verdict needs: the real "Chain
        // intact · N entries · signed checkpoint verified · t s" and a much
        // longer message (a tampered chain's explanation) are shown whole.
        function test_chainBadgeShowsTheWholeVerdict() {
            const badge = findChild(shell.currentPage, "verifyBadge")
            const text = findChild(shell.currentPage, "verifyText")
            verify(badge !== null && text !== null)
            tryVerify(() => screensAudit.verifyState === "intact", 15000, screensAudit.verifyText)
            verify(text.text.indexOf("signed checkpoint verified") >= 0, text.text)
            tryVerify(() => badge.height >= text.contentHeight, 5000)
            verify(!text.truncated, "badge cut off: " + text.text)
            verify(badge.height >= Theme.touchTarget)

            const longVerdict = "✖ Chain broken at entry #123456: the stored hash does not match the entry's contents, "
                       + "and the signed checkpoint of 2026-11-29 18:00 does not cover entries after #123000; "
                       + "export the trail and call the service desk"
            text.text = longVerdict
            tryVerify(() => text.lineCount >= 3 && badge.height >= text.contentHeight + 1, 5000,
                      "lines " + text.lineCount + " badge " + badge.height + " text " + text.contentHeight)
            verify(!text.truncated, "long verdict cut off")
            const inBadge = text.mapToItem(badge, 0, 0)
            verify(inBadge.y >= 0 && inBadge.y + text.contentHeight <= badge.height,
                   "text " + inBadge.y + "+" + text.contentHeight + " outside badge " + badge.height)
            const list = findChild(shell.currentPage, "auditList")
            verify(list.height > Theme.touchTarget * 3, "entries list squeezed to " + list.height)
            verifyEStopOnTop()
        }

        // The user filter is the console's TouchComboBox: a 56 px box with body
        // text, 56 px rows, its list below the E-STOP, and picking a row filters.
        function test_userDropDownIsTouchSized() {
            const box = findChild(shell.currentPage, "auditUser")
            verify(box !== null)
            verify(box.height >= Theme.touchTarget, "box height " + box.height)
            compare(box.font.pixelSize, Theme.fontBody)
            tryVerify(() => box.count >= 2, 5000, "users offered: " + box.count)

            // A text field had the keyboard's focus: opening the list takes it.
            const from = findChild(shell.currentPage, "auditFrom")
            from.forceActiveFocus()
            verify(from.activeFocus)
            mouseClick(box)
            tryVerify(() => box.popup.opened, 5000)
            verify(!from.activeFocus, "the text field kept the focus under an open drop-down")
            verify(box.popup.z < shell.emergencyStopButton.z, "drop-down z " + box.popup.z)
            verifyEStopOnTop()

            const rows = box.popup.contentItem as ListView
            verify(rows !== null)
            tryVerify(() => rows.count === box.count, 5000)
            tryVerify(() => rows.itemAtIndex(1) !== null, 5000, "the open list made no row 1")
            const row = rows.itemAtIndex(1)
            verify(row.height >= Theme.touchTarget, "row height " + row.height)
            verify(row.width >= box.width - 4, "row width " + row.width + " box " + box.width)
            const label = row.contentItem as Text
            compare(label.text, box.textAt(1))
            compare(label.font.pixelSize, Theme.fontBody)
            verify(!label.truncated, "user name cut off: " + label.text)

            const actor = box.textAt(1)
            mouseClick(row)
            tryVerify(() => !box.popup.visible, 5000)
            compare(box.currentIndex, 1)
            compare(screensAudit.actorFilter, actor)
            tryVerify(() => !screensAudit.busy, 10000)
            verify(screensAudit.count >= 1)
            for (let i = 0; i < screensAudit.count; ++i)
                compare(screensAudit.get(i).actor, actor)
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
