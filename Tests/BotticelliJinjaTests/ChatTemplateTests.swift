import Foundation
import Testing

@testable import BotticelliJinja

@Suite("Chat templates")
struct ChatTemplateTests {
    /// SmolLM2-135M-Instruct's `tokenizer.chat_template`, the test model's own.
    static let smolLM2 = """
        {% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}\
        {{ '<|im_start|>system\\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\\n' }}\
        {% endif %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}\
        {% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}
        """

    @Test func rendersTheFixtureTemplateLikeLlamaServer() throws {
        let template = try ChatTemplate(source: Self.smolLM2)
        let prompt = try template.render(
            messages: [.user("Hi")], addGenerationPrompt: true, bosToken: "<|im_start|>", eosToken: "<|im_end|>")
        #expect(
            prompt == "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face"
                + "<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")
        let dictionaries = try template.render(
            messages: [["role": "user", "content": "Hi"]], addGenerationPrompt: false)
        #expect(dictionaries.hasSuffix("<|im_start|>user\nHi<|im_end|>\n"))
    }

    @Test func mergesTheSystemMessageWhenTheTemplateIgnoresIt() throws {
        let source = """
            {% if messages[0]['role'] == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}\
            {% for m in messages %}[{{ m.role }}: {{ m.content }}]{% endfor %}
            """
        let template = try ChatTemplate(source: source)
        #expect(template.capabilities.supportsSystemRole == false)
        let prompt = try template.render(messages: [.system("Be brief."), .user("Hi")], addGenerationPrompt: false)
        #expect(prompt == "[user: Be brief.\nHi]")
    }

    @Test func givesTypedContentToTemplatesThatOnlyReadParts() throws {
        let template = try ChatTemplate(
            source: "{% for m in messages %}{% for part in m.content %}<{{ part.text }}>{% endfor %}{% endfor %}")
        #expect(template.capabilities.supportsTypedContent)
        #expect(template.capabilities.supportsStringContent == false)
        #expect(try template.render(messages: [.user("Hi")], addGenerationPrompt: false) == "<Hi>")
    }

    @Test func passesLlamaServerContextVariables() throws {
        let template = try ChatTemplate(
            source:
                "{{ bos_token }}|{{ enable_thinking }}|{{ date_string }}|{{ add_generation_prompt is defined }}|{{ x }}"
        )
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        let now = calendar.date(from: DateComponents(year: 2025, month: 3, day: 7, hour: 12))!
        let prompt = try template.render(
            messages: [ChatMessage](), addGenerationPrompt: false, bosToken: "<s>", enableThinking: false,
            extraContext: ["x": 1],
            now: now)
        #expect(prompt == "<s>|False|07 Mar 2025|False|1")
    }
}
