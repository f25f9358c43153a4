import QtQuick
import QtTest
import Tautband.Models
import Tautband.Ui

// The needling page with its real view model: a refused insertion shows which
// rule and why and records nothing, the research amplifier is named, the
// close button refuses while needles are in, and the E-STOP stays visible.
Item {
    id: root
    width: 1280
    height: 800

    Component { id: shellComponent; Shell { width: 1280; height: 800 } }
    Component { id: stopComponent; EmergencyStop {} }

    TestCase {
        name: "NeedlingPage"
        when: windowShown

        property var shell
        property var page

        function init() {
            const stop = createTemporaryObject(stopComponent, root)
            shell = createTemporaryObject(shellComponent, root, {
                emergencyStop: stop,
                services: { needling: testNeedling, bodyMap: testBodyMap }
            })
            verify(shell.showPage("needling"))
            tryVerify(() => shell.currentPage !== null && shell.currentPage.objectName === "page_needling")
            page = shell.currentPage
            waitForRendering(page)
        }

        function test_refusalShowsTheRuleAndNothingIsRecorded() {
            compare(page.needling, testNeedling, "the shell hands the page its service")
            // Tap the rhomboids on the back view: over the lung field, patient not screened.
            testNeedling.selectPoint("back", 0.55, 0.25)
            testNeedling.needleLengthMm = 40
            tryCompare(findChild(page, "decisionLevel"), "text", "REFUSE")
            const refusal = findChild(page, "rule_PF-NOT-SCREENED")
            verify(refusal !== null && refusal.visible, "the refusing rule is listed")
            verify(refusal.text.indexOf("PF-NOT-SCREENED") >= 0 && refusal.text.length > 40, "with its reason in words")
            const insert = findChild(page, "insertNeedle")
            verify(!insert.enabled, "no insertion button while refused")
            testNeedling.insertNeedle()
            compare(testNeedling.needlesIn, 0)
            verify(findChild(page, "amplifierWarning").text.indexOf("not patient-isolated") >= 0)
            // No clinical context in this test: the page says the people are unknown, never asks to type them.
            verify(findChild(page, "caseNotice").text.indexOf("Nobody is logged in") >= 0)
            verify(findChild(page, "practitionerId") === null, "no typed practitioner or credential")
        }

        function test_bodyMapTapSelectsTheMuscle() {
            const area = findChild(page, "bodyMapArea")
            const map = findChild(page, "bodyMap")
            map.view = "back"
            // The right rhomboid region's centre, in the map's coordinates.
            const r = testBodyMap.region("rhomboids_right")
            mouseClick(area, map.originX + r.x * map.drawWidth, r.y * map.drawHeight)
            tryVerify(() => testNeedling.site.regionId === "rhomboids_right")
            verify(findChild(page, "siteLabel").text.indexOf("Rhomboid") >= 0)
        }

        function test_eStopStaysVisibleOnTheNeedlingPage() {
            const button = shell.emergencyStopButton.contentItem
            verify(shell.emergencyStopButton.visible && button.visible)
            const p = button.mapToItem(root, 0, 0)
            verify(p.x >= 0 && p.y >= 0 && p.x + button.width <= root.width && p.y + button.height <= root.height)
            verify(button.width >= 54 && button.height >= 54)
            // The emergency advice banner does not cover it.
            testNeedling.addAdverseEvent("suspected_pneumothorax", "severe", "test")
            tryVerify(() => findChild(page, "emergencyAdvice").visible)
            verify(shell.emergencyStopButton.visible && button.visible)
            const trace = findChild(page, "emgTrace")
            verify(trace !== null && trace.width > 200 && trace.height > 150, "the live trace has room")
        }
    }
}
