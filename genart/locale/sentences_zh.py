"""The catalogue of sentences in Simplified Chinese: each refusal, warning and notice genart writes, keyed by its
English template (an f-string's values as named fields; tests/shown_sentences.py reads them from the code), with the
Chinese that takes the same fields. A test checks that every sentence in the code has its entry here."""

SENTENCES = {
    'This shared server loads only its listed Hub models, and {repo_id} is not one of them; pick a model from the list, or ask the owner to add it to {ALLOWED_REPOS}.':
        '这个共享服务器只加载列表中的 Hub 模型，{repo_id} 不在其中；请从列表中选一个模型，或请所有者把它加入 {ALLOWED_REPOS}。',
    '{name} is a {total_bytes} MB download and this server takes at most {cap} MB; pick a smaller model (the owner sets the cap with {MAX_DOWNLOAD_MB}).':
        '{name} 需要下载 {total_bytes} MB，而这个服务器最多接受 {cap} MB；请选一个更小的模型（所有者用 {MAX_DOWNLOAD_MB} 设置上限）。',
    'The arena has these tasks: {join_TASKS}; not {task}.':
        '竞技场有这些任务：{join_TASKS}；没有 {task}。',
    '{task} has fewer than two models ready here, so it has no arena; download another (Models tab) or pick another task.':
        '{task} 在这里可用的模型不到两个，所以没有竞技场；请再下载一个（“模型”页），或选另一个任务。',
    'The prompt is text of at most {MAX_PROMPT} characters.':
        '提示词是最多 {MAX_PROMPT} 个字符的文字。',
    'One of the two models failed on this input ({rstrip_value}); start a new round.':
        '两个模型中有一个在这个输入上出错了（{rstrip_value}）；请开始新的一轮。',
    'A vote is one of: {join_CHOICES} ({join_values}).':
        '投票只能是以下之一：{join_CHOICES}（{join_values}）。',
    'This vote names no round; vote on a pair the arena showed you.':
        '这张票没有指明轮次；请给竞技场展示给你的一对作品投票。',
    'This vote names a round the arena did not show you; vote on a pair it showed you.':
        '这张票指向竞技场没有展示给你的一轮；请给展示给你的那一对投票。',
    'This round already has your vote; start a new round to vote again.':
        '这一轮你已经投过票了；请开始新的一轮再投。',
    "This round's outputs have not both arrived yet; vote once you have seen A and B.":
        '这一轮的两个结果还没有都出来；看到 A 和 B 之后再投票。',
    'This round is more than an hour old; start a new round to vote.':
        '这一轮已经超过一小时；请开始新的一轮再投票。',
    'At most {VOTES_PER_MINUTE} votes a minute are counted; take a moment with the next pair and vote again.':
        '每分钟最多计入 {VOTES_PER_MINUTE} 票；请仔细看看下一对再投票。',
    'The primer lasts {len_events} 16ths; keep it to {MAX_PRIMER_STEPS} (4 bars).':
        '开头旋律长 {len_events} 个十六分音符；请控制在 {MAX_PRIMER_STEPS} 个以内（4 小节）。',
    "The primer's {word} is not a note: write note names with an octave and an optional length in 16ths, like E4 D#4 Bb3:4, or r for a rest.":
        '开头旋律中的 {word} 不是音符：请写带八度的音名，可加以十六分音符计的时值，如 E4 D#4 Bb3:4，休止符写 r。',
    "The primer's {word} lasts {steps} 16ths; give each note 1 to {STEPS_PER_BAR}.":
        '开头旋律中的 {word} 长 {steps} 个十六分音符；每个音符请给 1 到 {STEPS_PER_BAR} 个。',
    "The primer's {word} is outside the melody range {note_name_LOW} to {note_name_HIGH}; move it by an octave.":
        '开头旋律中的 {word} 超出了旋律音域 {note_name_LOW} 到 {note_name_HIGH}；请移动一个八度。',
    'This MIDI file holds over {MAX_MESSAGES} events; upload a single melody.':
        '这个 MIDI 文件有超过 {MAX_MESSAGES} 个事件；请上传单条旋律。',
    'This MIDI file has no plain timeline (SMPTE time or type 2); save it as a type 0 or 1 file.':
        '这个 MIDI 文件没有普通时间线（SMPTE 时间或类型 2）；请另存为类型 0 或 1 的文件。',
    'This MIDI file has no notes; upload one with a melody in it.':
        '这个 MIDI 文件里没有音符；请上传一个含有旋律的文件。',
    'This is not a MIDI file genart can read; upload a standard .mid file.':
        '这不是 genart 能读取的 MIDI 文件；请上传标准的 .mid 文件。',
    'Only a melody has notes to write as MIDI; save this sound as a .wav file.':
        '只有旋律才有可写成 MIDI 的音符；请把这段声音保存为 .wav 文件。',
    'Sound is written as .wav or .mid, not {value}; name the file .wav or .mid.':
        '声音只能写成 .wav 或 .mid，不能是 {value}；请把文件命名为 .wav 或 .mid。',
    'This is not a WAV file; upload a .wav recording (PCM or 32-bit float).':
        '这不是 WAV 文件；请上传 .wav 录音（PCM 或 32 位浮点）。',
    'This WAV file has no format or no sound data; upload a complete .wav recording.':
        '这个 WAV 文件没有格式信息或声音数据；请上传完整的 .wav 录音。',
    'genart reads mono or stereo WAV files in 8, 16, 24 or 32-bit PCM or 32-bit float; convert this one to 16-bit PCM.':
        'genart 读取 8、16、24 或 32 位 PCM 或 32 位浮点的单声道或立体声 WAV 文件；请把这个文件转换为 16 位 PCM。',
    "This WAV file's sample rate is {rate} Hz; use one from 4,000 to 192,000 Hz.":
        '这个 WAV 文件的采样率是 {rate} Hz；请使用 4,000 到 192,000 Hz 之间的采样率。',
    'This recording lasts {seconds} s; upload at most {max_seconds} s of audio.':
        '这段录音长 {seconds} 秒；请上传最多 {max_seconds} 秒的音频。',
    'No benchmark for {task}; choose one of: {join_value}.':
        '没有 {task} 的基准测试；请从这些中选择：{join_value}。',
    '{name} needs no download: it ships with genart.':
        '{name} 无需下载：它随 genart 一起提供。',
    '{name} ships with genart and cannot be deleted.':
        '{name} 随 genart 一起提供，不能删除。',
    '{name} is not downloaded; there is nothing to delete.':
        '{name} 还没有下载；没有可删除的内容。',
    'Name the Hub repo to add: org/name or hf-hub:org/name@revision.':
        '请写出要添加的 Hub 仓库：org/name 或 hf-hub:org/name@revision。',
    '--out names the WAV file (tune.wav); its .mid and .png go beside it, not {name}.':
        '--out 指定 WAV 文件（tune.wav）；它的 .mid 和 .png 放在旁边，不能是 {name}。',
    '--out names the repaired WAV file (repaired.wav); its .png goes beside it, not {name}.':
        '--out 指定修复后的 WAV 文件（repaired.wav）；它的 .png 放在旁边，不能是 {name}。',
    'There is no file {source}.':
        '没有文件 {source}。',
    'No training script for {model}; trainable: {join_TRAINABLE}.':
        '没有 {model} 的训练脚本；可训练的有：{join_TRAINABLE}。',
    'Write each setting as name=value; got {pair}.':
        '每个设置请写成 name=value；收到的是 {pair}。',
    'Reading the tune collections needs music21: pip install -r requirements-dev.txt.':
        '读取曲集需要 music21：pip install -r requirements-dev.txt。',
    'The training photo {name} is missing at {path}: {install}.':
        '训练照片 {name} 不在 {path}：{install}。',
    'The training photos need the {package} package: {install}.':
        '训练照片需要 {package} 软件包：{install}。',
    'An entry id is a whole number; pick an entry from the History gallery.':
        '条目编号是整数；请从“历史”画廊中选一个条目。',
    'The page is a whole number from 0.':
        '页码是从 0 开始的整数。',
    'Show from 1 to {MAX_PAGE} entries a page.':
        '每页显示 1 到 {MAX_PAGE} 个条目。',
    'Starred is true or false.':
        '“已加星标”只能是 true 或 false。',
    '{name} must be text of at most {MAX_WORDS} characters.':
        '{name} 必须是最多 {MAX_WORDS} 个字符的文字。',
    'There is no entry {entry_id} in your history; pick one from the History gallery.':
        '你的历史中没有条目 {entry_id}；请从“历史”画廊中选一个。',
    'Model {name} has no checkpoint to resolve.':
        '模型 {name} 没有可解析的检查点。',
    '{name} has sha256 {digest}…, not the published {published}…; it was deleted and not loaded.':
        '{name} 的 sha256 是 {digest}…，不是公布的 {published}…；它已被删除，没有加载。',
    '{name} has MD5 {digest}, not the published {published}; it was deleted and not loaded.':
        '{name} 的 MD5 是 {digest}，不是公布的 {published}；它已被删除，没有加载。',
    'The embedded weights for {name} are missing from {folder}; restore the weights/ folder from the repository.':
        '{folder} 中缺少 {name} 的内置权重；请从代码仓库恢复 weights/ 文件夹。',
    '{name} is not downloaded.':
        '{name} 还没有下载。',
    'Model {name} is not downloaded and {host} cannot be reached; connect to the internet and run `{download_command_spec}`.':
        '模型 {name} 还没有下载，且无法连接 {host}；请连上网络后运行 `{download_command_spec}`。',
    "The Hub repo {repo_id} has no revision {revision}; check the part after '@'.":
        'Hub 仓库 {repo_id} 没有版本 {revision}；请检查“@”后面的部分。',
    'There is no Hub repo {repo_id} (or it is private); check the spelling.':
        '没有 Hub 仓库 {repo_id}（或它是私有的）；请检查拼写。',
    'Model {name} is not downloaded and the Hugging Face Hub cannot be reached; connect to the internet and run `{download_command_spec}`.':
        '模型 {name} 还没有下载，且无法连接 Hugging Face Hub；请连上网络后运行 `{download_command_spec}`。',
    'A file of {where} is missing on the Hub ({err}); pick another revision.':
        'Hub 上缺少 {where} 的一个文件（{err}）；请选择另一个版本。',
    'The Hub answered HTTP {code} for {where}; try again later.':
        'Hub 对 {where} 返回了 HTTP {code}；请稍后再试。',
    '{host} answered HTTP {code} for {url}; the file may have moved.':
        '{host} 对 {url} 返回了 HTTP {code}；文件可能已经移动。',
    '{target} is not the file first downloaded for {name} (its sha256 changed); delete {folder} and run `{download_command_spec}` to fetch it again.':
        '{target} 不是最初为 {name} 下载的文件（它的 sha256 变了）；请删除 {folder} 并运行 `{download_command_spec}` 重新获取。',
    '{name} is not an architecture genart can run ({kind}); supported: {join_ARCHITECTURES}.':
        '{name} 不是 genart 能运行的架构（{kind}）；支持的有：{join_ARCHITECTURES}。',
    'The files of {name} do not hold a {arch} checkpoint.':
        '{name} 的文件中没有 {arch} 检查点。',
    '{name} is a {arch} model for the {task} task, not {task2}.':
        '{name} 是用于 {task} 任务的 {arch} 模型，不是用于 {task2} 的。',
    'The config.json of {name} does not fit its architecture: {err}':
        '{name} 的 config.json 与它的架构不符：{err}',
    'The checkpoint of {name} does not fit its architecture: {err}.':
        '{name} 的检查点与它的架构不符：{err}。',
    '{name} is not a folder, an image, a .zip of images or a .txt of prompts; name one of those.':
        '{name} 既不是文件夹、图像、图像的 .zip，也不是提示词的 .txt；请指定其中一种。',
    '{name} is larger than {MAX_FILE_BYTES} MB; use a smaller image.':
        '{name} 大于 {MAX_FILE_BYTES} MB；请使用更小的图像。',
    'The {task_name} task takes no batch; batch one of: {join_BATCH_TASKS}.':
        '{task_name} 任务不支持批量；可批量的有：{join_BATCH_TASKS}。',
    '{name} holds {len_names} files; zip at most {MAX_ZIP_MEMBERS}.':
        '{name} 含有 {len_names} 个文件；请最多压缩 {MAX_ZIP_MEMBERS} 个。',
    'There is no folder or file {source}.':
        '没有文件夹或文件 {source}。',
    'The batch is empty: give images (PNG, JPEG, WebP), a zip of them, or prompts, one a line.':
        '这批是空的：请给出图像（PNG、JPEG、WebP）、它们的 zip，或每行一个提示词。',
    'This batch has {len_items} inputs; this server takes at most {max_files} a batch, so split it.':
        '这批有 {len_items} 个输入；这个服务器每批最多接受 {max_files} 个，请拆分。',
    'This batch holds {total} megapixels; this server takes at most {max_pixels} a batch, so send fewer or smaller images.':
        '这批共有 {total} 百万像素；这个服务器每批最多接受 {max_pixels}，请发送更少或更小的图像。',
    '{name} is not a zip file genart can read ({err}); zip the images again.':
        '{name} 不是 genart 能读取的 zip 文件（{err}）；请重新压缩这些图像。',
    '{member} in {name} cannot be read ({err}); zip it again.':
        '无法读取 {name} 中的 {member}（{err}）；请重新压缩。',
    '{name} is neither an image (PNG, JPEG, WebP) nor a zip of images; leave it out.':
        '{name} 既不是图像（PNG、JPEG、WebP）也不是图像的 zip；请去掉它。',
    '{name} has no chat template, so it cannot chat; use the completion mode, or an instruct model such as smollm2-135m-instruct.':
        '{name} 没有对话模板，所以不能对话；请用续写模式，或用指令模型，如 smollm2-135m-instruct。',
    'The conversation must end with {wanted} turn; write a message first.':
        '对话必须以{wanted}的发言结尾；请先写一条消息。',
    "The chat template of {repo} refused the prompt: {err}. Untick 'Use the chat template' to send the prompt as it is.":
        '{repo} 的对话模板拒绝了这个提示：{err}。取消勾选“使用对话模板”即可按原样发送提示。',
    "The chat template of {repo} tries to run code, which genart never allows; untick 'Use the chat template' or pick another model.":
        '{repo} 的对话模板试图运行代码，genart 从不允许这样做；请取消勾选“使用对话模板”或选另一个模型。',
    "The chat template of {repo} cannot be rendered ({type}: {err}); untick 'Use the chat template' or pick another model.":
        '{repo} 的对话模板无法渲染（{type}：{err}）；请取消勾选“使用对话模板”或选另一个模型。',
    '{name} must be a whole number from {low} to {high}, got {value}.':
        '{name} 必须是 {low} 到 {high} 之间的整数，收到的是 {value}。',
    '{name} must be from {low} to {high}, got {value}.':
        '{name} 必须在 {low} 到 {high} 之间，收到的是 {value}。',
    '{name} must be a number from {low} to {high}, got {value}.':
        '{name} 必须是 {low} 到 {high} 之间的数，收到的是 {value}。',
    '{name} must be true or false, got {value}.':
        '{name} 必须是 true 或 false，收到的是 {value}。',
    '{name} must be text, got {type}.':
        '{name} 必须是文字，收到的是 {type}。',
    '{name} is {len_value} characters; use at most {max_chars}.':
        '{name} 有 {len_value} 个字符；请最多用 {max_chars} 个。',
    '{name} must be a list of text, got {type}.':
        '{name} 必须是文字的列表，收到的是 {type}。',
    'Give at most {max_items} {lower}; {len_values} were given.':
        '{lower}最多给 {max_items} 个；现在给了 {len_values} 个。',
    'The settings must be an object of names and values (e.g. {{"seed": 1}}), got {type}.':
        '设置必须是名称到值的对象（例如 {{"seed": 1}}），收到的是 {type}。',
    '{name} must be a list of text; one of them is {type}.':
        '{name} 必须是文字的列表；其中一项是 {type}。',
    'Each of the {lower} may be at most {max_chars} characters; one is {len_v}.':
        '每个{lower}最多 {max_chars} 个字符；有一个是 {len_v} 个。',
    '{name} has no tokenizer.json; genart reads only fast-tokenizer files.':
        '{name} 没有 tokenizer.json；genart 只读取快速分词器文件。',
    'The prompt {text} has no words CLIP can read; write a description.':
        '提示词 {text} 中没有 CLIP 能读的词；请写一段描述。',
    '{name} takes a truncation of at most {max_truncation}; got {truncation}.':
        '{name} 的截断最多为 {max_truncation}；收到的是 {truncation}。',
    'Compare runs these tasks: {join_TASKS}; not {name}.':
        '“对比”可运行这些任务：{join_TASKS}；没有 {name}。',
    '{task} can sweep {join_kinds}; not {sweep}.':
        '{task} 可以扫描 {join_kinds}；不能扫描 {sweep}。',
    'Give the values of {sweep} to sweep, separated by {example}.':
        '请给出要扫描的 {sweep} 的取值，用 {example} 分隔。',
    'Sweep at most {MAX_VALUES} values of {sweep}; {len_words} were given.':
        '{sweep} 最多扫描 {MAX_VALUES} 个取值；现在给了 {len_words} 个。',
    'Pick at least one model to compare.':
        '请至少选一个模型来对比。',
    'Compare at most {MAX_MODELS} models at a time; {len_models} were picked.':
        '一次最多对比 {MAX_MODELS} 个模型；现在选了 {len_models} 个。',
    'Add {INPUT_NAMES} to compare {task} models on.':
        '请添加{INPUT_NAMES}，用来对比 {task} 模型。',
    'The values of {sweep} must be {type} numbers; got {text}.':
        '{sweep} 的取值必须是 {type} 数；收到的是 {text}。',
    '{name} has no encoder to take an image into its latent space; pick a VAE such as vae-art-64.':
        '{name} 没有把图像送入潜空间的编码器；请选一个 VAE，如 vae-art-64。',
    '{name} makes these classes: {join_classes}; got {label}.':
        '{name} 能生成这些类别：{join_classes}；收到的是 {label}。',
    '{name} is not class-conditional; leave the class empty.':
        '{name} 不是类别条件模型；请把类别留空。',
    '{name} would decode to {width}x{height} pixels; use an image of at most {MAX_SIDE}x{MAX_SIDE2}.':
        '{name} 会解码为 {width}x{height} 像素；请使用最大 {MAX_SIDE}x{MAX_SIDE2} 的图像。',
    'Add an image to {action}.':
        '请添加一张图像来{action}。',
    'The image is {width}x{height}; use one from {MIN_SIDE} to {MAX_SIDE} px a side.':
        '图像是 {width}x{height}；请使用每边 {MIN_SIDE} 到 {MAX_SIDE} 像素的图像。',
    'Add a {what} image.':
        '请添加一张{what}图像。',
    'The {what} image is {width}x{height}; use one at least {MIN_SIDE} px on each side.':
        '{what}图像是 {width}x{height}；请使用每边至少 {MIN_SIDE} 像素的图像。',
    'The {what} image is {width}x{height}; use one at most {MAX_SIDE} px on a side.':
        '{what}图像是 {width}x{height}；请使用每边最多 {MAX_SIDE} 像素的图像。',
    'There is no file {path}.':
        '没有文件 {path}。',
    '{name} is not an image file genart can read (use PNG, JPEG or WebP).':
        '{name} 不是 genart 能读取的图像文件（请用 PNG、JPEG 或 WebP）。',
    '{name} is damaged or not an image genart can read (use PNG, JPEG or WebP).':
        '{name} 已损坏，或不是 genart 能读取的图像（请用 PNG、JPEG 或 WebP）。',
    'text2art knows none of the words in {prompt}; describe art with words such as {examples}.':
        'text2art 不认识 {prompt} 中的任何词；请用 {examples} 这样的词描述画面。',
    'Write a prompt: a sentence that describes the picture.':
        '请写一个提示词：一句描述画面的话。',
    '{name} cannot walk between prompts; pick text2art-64, whose captions have an embedding to walk along.':
        '{name} 不能在提示词之间漫游；请选 text2art-64，它的描述有可以沿着走的嵌入。',
    'Write both prompts: where the walk starts and where it ends.':
        '请写两个提示词：漫游的起点和终点。',
    "{name} has {len_given} numbers; this model's latent has {dim}.":
        '{name} 有 {len_given} 个数；这个模型的潜向量有 {dim} 个。',
    '{name} has no latent space to interpolate; pick a GAN such as dcgan-art-64.':
        '{name} 没有可插值的潜空间；请选一个 GAN，如 dcgan-art-64。',
    '{name} has {vocab_size} tokens, not the {VOCAB} melody events; pick a melody model.':
        '{name} 有 {vocab_size} 个词元，不是 {VOCAB} 个旋律事件；请选一个旋律模型。',
    'There is no instrument {instrument}; pick one of: {join_INSTRUMENTS}.':
        '没有乐器 {instrument}；请从这些中选择：{join_INSTRUMENTS}。',
    '{name} holds {context} steps of 16ths; the primer ({len_primer}) and {bars} bars ({steps}) need more, so ask for fewer bars or a shorter primer.':
        '{name} 最多容纳 {context} 个十六分音符；开头旋律（{len_primer}）加 {bars} 小节（{steps}）需要更多，请减少小节数或缩短开头旋律。',
    'There is no precision {name}; pick one of: {join_PRECISIONS}.':
        '没有精度 {name}；请从这些中选择：{join_PRECISIONS}。',
    'Add a file genart wrote (a PNG, WebP, GIF, WAV, MIDI or .json) to replay.':
        '请添加一个 genart 写出的文件（PNG、WebP、GIF、WAV、MIDI 或 .json）来重放。',
    '{name} carries no genart record: only files genart wrote can be replayed.':
        '{name} 没有 genart 记录：只有 genart 写出的文件才能重放。',
    '{name} was written by a newer genart (record version {record}); update genart to replay it.':
        '{name} 由更新版本的 genart 写出（记录版本 {record}）；请更新 genart 后再重放。',
    "This Compare grid's record is damaged (its models, settings or cells are missing); only unchanged files genart wrote can be replayed.":
        '这张对比网格的记录已损坏（缺少模型、设置或单元格）；只有 genart 写出且未改动的文件才能重放。',
    "This Compare grid was written without its input ({join_map_str}), so it cannot be run again from the PNG alone; replay a cell's own file from the zip instead.":
        '这张对比网格写出时没有附带输入（{join_map_str}），所以单凭 PNG 无法重新运行；请改为重放 zip 中某个单元格自己的文件。',
    'Replay makes single outputs, interpolations and Compare grids; a {task} record is not one of them.':
        '重放能重做单个结果、插值和对比网格；{task} 记录不属于其中。',
    'This {task} file was written without its input image (it was too large to store beside the record), so it cannot be made again from the file alone; remake it from the tab.':
        '这个 {task} 文件写出时没有附带输入图像（图像太大，无法与记录一起保存），所以单凭这个文件无法重做；请在对应页面中重新生成。',
    "This {task} record has no input ({join_missing}) stored beside it; replay the file that holds it (a repair's WAV), or remake it from the tab.":
        '这条 {task} 记录旁边没有保存输入（{join_missing}）；请重放含有输入的文件（修复结果的 WAV），或在对应页面中重新生成。',
    'This was made with other {name} weights than the ones here ({short_recorded} there, {short_here} here): replay it with the genart version that made it.':
        '这是用另一份 {name} 权重生成的（那里是 {short_recorded}，这里是 {short_here}）：请用生成它的 genart 版本重放。',
    '{name} is not an image genart can read back; drop a PNG, WebP or GIF that genart wrote.':
        '{name} 不是 genart 能读回的图像；请拖入 genart 写出的 PNG、WebP 或 GIF。',
    'This recording is shorter than 0.1 s; upload a longer one.':
        '这段录音短于 0.1 秒；请上传更长的录音。',
    "The gap ends at {end} s, past the recording's end at {seconds} s; start it earlier or make it shorter.":
        '缺口在 {end} 秒结束，超过了录音在 {seconds} 秒处的结尾；请让它早点开始或缩短它。',
    'Add a recording (a WAV file) to repair.':
        '请添加一段录音（WAV 文件）来修复。',
    'This recording has {len_spans} clicks, more than the {MAX_CLICKS} one request repairs; repair it in shorter pieces.':
        '这段录音有 {len_spans} 处咔嗒声，多于一次请求能修复的 {MAX_CLICKS} 处；请分成更短的片段修复。',
    'Unknown task {name}; use one of: {join_MODEL_TASKS}.':
        '未知任务 {name}；请用以下之一：{join_MODEL_TASKS}。',
    'Image index {index} is outside the batch of {len_outputs}.':
        '图像序号 {index} 超出了这批 {len_outputs} 张的范围。',
    '{name} is a {arch} language model with no encoder; reconstructing and walking between sentences need a sentence VAE such as text-art-vae.':
        '{name} 是没有编码器的 {arch} 语言模型；重建句子和在句子之间漫游需要句子 VAE，如 text-art-vae。',
    'A sentence is empty; type one for the model to read.':
        '有一个句子是空的；请输入一句让模型读取。',
    'A sentence is {len_rows} tokens; this model reads at most {longest}.':
        '有一个句子有 {len_rows} 个词元；这个模型最多读取 {longest} 个。',
    '{label} must be a list of at most {high} numbers, got {value}.':
        '{label} 必须是最多 {high} 个数的列表，收到的是 {value}。',
    'Give one style weight per style image: {n_styles} images, {len_weights} weights.':
        '每张风格图像给一个风格权重：现在有 {n_styles} 张图像、{len_weights} 个权重。',
    'At least one style weight must be above 0.':
        '至少有一个风格权重必须大于 0。',
    '{name} needs a style image; add one.':
        '{name} 需要一张风格图像；请添加一张。',
    'Use at most {MAX_STYLES} style images; {len_styles} were given.':
        '最多使用 {MAX_STYLES} 张风格图像；现在给了 {len_styles} 张。',
    'Spatial control takes exactly two style images: the first for the painted area, the second for the rest.':
        '空间控制正好需要两张风格图像：第一张用于涂抹的区域，第二张用于其余部分。',
    '{name} holds a {arch} model, which the {task} task does not run; pick one of these architectures: {join_table}.':
        '{name} 是 {arch} 模型，{task} 任务不运行它；请选择这些架构之一：{join_table}。',
    'The prompt is empty; type something for the model to continue.':
        '提示词是空的；请输入一些内容让模型续写。',
    'Max new tokens must leave room for the prompt in the {context}-token context; use at most {context2}.':
        '最大新词元数必须在 {context} 个词元的上下文中为提示词留出空间；请最多用 {context2}。',
    'Unknown task {task}; use one of: {join_MODEL_TASKS}.':
        '未知任务 {task}；请用以下之一：{join_MODEL_TASKS}。',
    "{revision} is not a Hub revision; after '@' write a 40-character commit or a branch or tag name (letters, digits, '-', '_', '.' and '/').":
        '{revision} 不是 Hub 版本；“@”后面请写 40 个字符的提交号，或分支名、标签名（字母、数字、“-”“_”“.”和“/”）。',
    '{name} is not a Hub model id; write it as hf-hub:org/name or hf-hub:org/name@revision.':
        '{name} 不是 Hub 模型编号；请写成 hf-hub:org/name 或 hf-hub:org/name@revision。',
    'Name a model: {choices}, or a Hub repo as hf-hub:org/name.':
        '请指定一个模型：{choices}，或写成 hf-hub:org/name 的 Hub 仓库。',
    'A model name of {len_name} characters is too long; registry names and Hub ids are at most {MAX_NAME}.':
        '{len_name} 个字符的模型名太长了；注册表名称和 Hub 编号最多 {MAX_NAME} 个字符。',
    'Unknown model {name}; {choices_hint_name}, or name a Hub repo as hf-hub:org/name.':
        '未知模型 {name}；{choices_hint_name}，或写成 hf-hub:org/name 的 Hub 仓库。',
    'Model {name} is for the {task} task, not {task2}; {choices_hint_name}.':
        '模型 {name} 用于 {task} 任务，不是 {task2}；{choices_hint_name}。',
    "{name} is not a Hub model, so it has no revisions; drop the '@{revision}'.":
        '{name} 不是 Hub 模型，所以没有版本；请去掉“@{revision}”。',
    'Animations are written as .webp or .gif files, not {value}; name the file .webp or .gif.':
        '动画只能写成 .webp 或 .gif 文件，不能是 {value}；请把文件命名为 .webp 或 .gif。',
    'The input image {name} stored in {name2} is {width}x{height}; genart does not open images that large.':
        '{name2} 中保存的输入图像 {name} 是 {width}x{height}；genart 不打开这么大的图像。',
    'The input image {name} stored in {name2} is damaged; only unchanged files genart wrote can be replayed.':
        '{name2} 中保存的输入图像 {name} 已损坏；只有 genart 写出且未改动的文件才能重放。',
    'Unknown device {name}; use one of: {join_DEVICES}.':
        '未知设备 {name}；请用以下之一：{join_DEVICES}。',
    'Device {name} was asked for but no CUDA GPU is visible; unset GENART_DEVICE or use cpu.':
        '请求了设备 {name}，但看不到 CUDA GPU；请取消设置 GENART_DEVICE 或使用 cpu。',
    "Device 'mps' was asked for but Metal is not available here; unset GENART_DEVICE or use cpu.":
        '请求了设备“mps”，但这里没有 Metal；请取消设置 GENART_DEVICE 或使用 cpu。',
    'The GPU ran out of memory; loaded models were freed, so try again with {what}.':
        'GPU 内存不足；已释放加载的模型，请用{what}再试一次。',
    'A binary file without a suffix cannot be given an LFS rule; name it with one.':
        '没有后缀的二进制文件无法设置 LFS 规则；请给它加上后缀。',
    '{out} is not empty; export into a new folder.':
        '{out} 不是空的；请导出到新文件夹。',
    'Unsupported checkpoint type {suffix}; use .safetensors (or a weights-only .bin/.pth).':
        '不支持的检查点类型 {suffix}；请使用 .safetensors（或只含权重的 .bin/.pth）。',
    'Refused to load {name}: it is not a state dict of tensors.':
        '拒绝加载 {name}：它不是张量的状态字典。',
    'The checkpoint {name} is damaged or incomplete ({err}); delete it and download it again.':
        '检查点 {name} 已损坏或不完整（{err}）；请删除后重新下载。',
    'Refused to load {name}: it holds more than plain tensors ({type}); only weights-only checkpoints are loaded.':
        '拒绝加载 {name}：它含有的不只是普通张量（{type}）；只加载纯权重的检查点。',
    "{name} uses {what}, which genart's text models do not implement.":
        '{name} 使用了 {what}，genart 的文本模型没有实现它。',
    'This server could not tell who you are, so it takes no vote; open the app in a browser that keeps cookies.':
        '这个服务器无法识别你，所以不接受投票；请在保留 Cookie 的浏览器中打开应用。',
    'Start a round first: press New round, look at A and B, then vote.':
        '请先开始一轮：点“新一轮”，看看 A 和 B，再投票。',
    'Send the prompts as one text, one prompt a line.':
        '请把提示词作为一段文字发送，每行一个。',
    'Write a message first.':
        '请先写一条消息。',
    'There is no reply to regenerate yet; send a message first.':
        '还没有可重新生成的回复；请先发送一条消息。',
    'There is no reply to continue; send a message first.':
        '没有可继续的回复；请先发送一条消息。',
    'genart failed on this request ({type}) and logged it; the server keeps serving, so try other settings or another input.':
        'genart 处理这个请求时出错（{type}），已记录日志；服务器仍在运行，请试试别的设置或输入。',
    "This request reached the server's limit of {seconds} s and was stopped; ask for less (fewer steps, tokens, models or values, or a smaller image) and run it again.":
        '这个请求达到了服务器 {seconds} 秒的时间上限，已被停止；请减少要求（更少的步数、词元、模型或取值，或更小的图像）后再运行。',
    '{describe_component}, got {shown}; send a value of that kind.':
        '{describe_component}，收到的是 {shown}；请发送这种类型的值。',
    'A value sent is not in the form its input takes ({title}); send what the API page shows for each parameter.':
        '发送的一个值不符合其输入的格式（{title}）；请按 API 页面为每个参数列出的格式发送。',
    'This endpoint takes {len_inputs} values and got {len_inputs2}; send one for each parameter, in order.':
        '这个端点接受 {len_inputs} 个值，收到了 {len_inputs2} 个；请按顺序为每个参数发送一个。',
    '{name} is a date written YYYY-MM-DD, or empty.':
        '{name} 是写成 YYYY-MM-DD 的日期，或留空。',
    'Pick an entry in the gallery first.':
        '请先在画廊中选一个条目。',
    '{name} is a date written YYYY-MM-DD (like 2026-12-07), not {strip}.':
        '{name} 是写成 YYYY-MM-DD 的日期（如 2026-12-07），不是 {strip}。',
    'Format must be webp or gif.':
        '格式必须是 webp 或 gif。',
    'Add an image to damage first.':
        '请先添加一张要加损伤的图像。',
    'A Fill batch fills one region in every image: paint over it in the editor above, or upload a mask (white = fill).':
        '“填充”批量在每张图像中填充同一区域：请在上方编辑器中涂抹该区域，或上传遮罩（白色 = 填充）。',
    '{metadata}={raw} is not a limit genart can use; set it to a number of at least {metadata2} ({metadata3}).':
        '{metadata}={raw} 不是 genart 能用的上限；请设为至少 {metadata2} 的数（{metadata3}）。',
    'This MIDI file is {size} MB; upload at most {max_file_mb} MB.':
        '这个 MIDI 文件有 {size} MB；请最多上传 {max_file_mb} MB。',
    'Click a row of the table to pick a model.':
        '请点击表格中的一行来选择模型。',
    'This shared server does not let visitors download, unload, delete or add models; its owner can, after logging in with a name listed in {OWNERS}.':
        '这个共享服务器不允许访客下载、卸载、删除或添加模型；所有者用 {OWNERS} 中列出的名字登录后可以操作。',
    'This recording is {size} MB; upload at most {limit} MB.':
        '这段录音有 {size} MB；请最多上传 {limit} MB。',
    'There is nothing to send yet: make an image first.':
        '还没有可发送的内容：请先生成一张图像。',
    'Stop strings must be text, one per line.':
        '停止字符串必须是文字，每行一个。',
    'A stop string has a broken escape ({reason}); write \\n, \\t, \\u and four hex digits, or a plain backslash as \\\\.':
        '有一个停止字符串的转义写错了（{reason}）；请写 \\n、\\t、\\u 加四位十六进制数字，或把普通反斜杠写成 \\\\。',
    'This server could not tell who you are, so it shows no history; open the app in a browser that keeps cookies.':
        '这个服务器无法识别你，所以不显示历史；请在保留 Cookie 的浏览器中打开应用。',
    "The conversation is longer than the model's context; its oldest part was left out.":
        '对话长于模型的上下文；最早的部分被省略了。',
    'The {what} image was {value} from {width}x{height} to {size}x{size2}.':
        '{what}图像已从 {width}x{height} {value}到 {size}x{size2}。',
    'Words text2art does not know were left out: {join_unknown}.':
        '省略了 text2art 不认识的词：{join_unknown}。',
    'The region to fill ({W}x{H}) was processed at {size}x{size2} and scaled back.':
        '要填充的区域（{W}x{H}）按 {size}x{size2} 处理后缩放回原尺寸。',
    'No clicks were found; the recording is unchanged.':
        '没有发现咔嗒声；录音未改动。',
    'The prompt was {len_ids} tokens; its first {len_ids2} were dropped to fit the context.':
        '提示词有 {len_ids} 个词元；为放进上下文，去掉了最前面的 {len_ids2} 个。',
    'CLIP scores need {name}, which is not downloaded (python -m genart models download {name2}).':
        'CLIP 分数需要 {name}，它还没有下载（python -m genart models download {name2}）。',
    '{name} paints one fixed style; the style images are not used.':
        '{name} 只画一种固定风格；不使用风格图像。',
    "The models here read English; in Chinese they read only descriptions of genart's own art (a mandala, mondrian, landscape, stained glass, flow field or geometric composition, with its colours and counts), so write this prompt in English.":
        '这里的模型读英文；中文只能读对 genart 自己的艺术的描述（曼陀罗、蒙德里安、风景、彩色玻璃、流场或几何构图，'
        '可加上颜色和数量），所以请用英文写这个提示词。',
    'Read as: {english}.':
        '读作：{english}。',
    '{mean} of the pixels were impulses, filled by {IMPULSE_FILL}.':
        '{mean} 的像素是脉冲噪声，已用{IMPULSE_FILL}填充。',
    '{folder} has no weights file; expected one of: {join_WEIGHT_FILES}, or a network pickle (.pkl).':
        '{folder} 里没有权重文件；应为以下之一：{join_WEIGHT_FILES}，或一个网络 pickle（.pkl）。',
    'Refused to load {name}: {err}.':
        '拒绝加载 {name}：{err}。',
    'Refused to load {name}: it is not a network pickle genart can read ({type}); use a stylegan2-ada-pytorch or stylegan3 .pkl.':
        '拒绝加载 {name}：它不是 genart 能读取的网络 pickle（{type}）；请使用 stylegan2-ada-pytorch 或 stylegan3 的 .pkl。',
    'Layers from the columns must be one of {join_LAYER_GROUPS}; got {layers}.':
        '取自列的层必须是 {join_LAYER_GROUPS} 之一；收到的是 {layers}。',
    "This generator's layers stop at {sides} px, so it has no {layers} layers; mix coarse or middle ones.":
        '这个生成器的层到 {sides} 像素为止，所以没有 {layers} 层；请混合 coarse 或 middle 层。',
    '{name} draws every layer from one latent, so it has no styles to mix; pick a StyleGAN such as stylegan2-cifar10.':
        '{name} 的每一层都来自同一个潜向量，所以没有可混合的风格；请选择一个 StyleGAN，例如 stylegan2-cifar10。',
    'Perceptual distance must be one of {join_DISTANCE_MODELS}; got {name}.':
        '感知距离必须是 {join_DISTANCE_MODELS} 之一；收到的是 {name}。',
    '{name} has no W space to project a photo into; pick a StyleGAN such as stylegan2-cifar10.':
        '{name} 没有可以把照片投影进去的 W 空间；请选择一个 StyleGAN，例如 stylegan2-cifar10。',
    "First row's w has {len_row_w} numbers; this generator takes {w_dim} (one w) or {num_ws} (one per layer).":
        '第一行的 w 有 {len_row_w} 个数；这个生成器需要 {w_dim} 个（一个 w）或 {num_ws} 个（每层一个）。',
    "First row's w must be JSON text of at most {MAX_W_CHARACTERS} characters, as Project a photo writes it.":
        '第一行的 w 必须是最多 {MAX_W_CHARACTERS} 个字符的 JSON 文本，就像“投影一张照片”写出的那样。',
    "First row's w must be JSON numbers, as Project a photo writes them; clear it to use the first row seed.":
        '第一行的 w 必须是 JSON 数字，就像“投影一张照片”写出的那样；清空它即可使用第一行的种子。',
    'Project a photo first: there is no w to mix yet.':
        '请先投影一张照片：还没有可以混合的 w。',
    '{name} has no W space; clear Walk in W to walk between its latents.':
        '{name} 没有 W 空间；请取消勾选“在 W 中漫游”，在它的潜向量之间漫游。',
}

# Parts that functions write for a sentence's fields (registry.choices_hint, the model choices in registry.get_spec,
# ui.edge.describe): translated when a field's text is one of them.
FRAGMENTS = {
    'choose one of: {names}': '请从这些中选择：{names}',
    'choose one of the {count} built-in models the Models tab lists': '请从“模型”页列出的 {count} 个内置模型中选择',
    'choose one of the {count} built-in models the Models tab lists (did you mean {close}?)':
        '请从“模型”页列出的 {count} 个内置模型中选择（你是不是要找 {close}？）',
    'one of {names}': '以下之一：{names}',
    'one the Models tab lists (for example dcgan-art-64)': '“模型”页列出的一个（例如 dcgan-art-64）',
    '{label} must be a number from {low} to {high}': '{label} 必须是 {low} 到 {high} 之间的数',
    '{label} must be a number': '{label} 必须是数',
    '{label} must be one of its choices': '{label} 必须是它的选项之一',
    '{label} must be true or false': '{label} 必须是 true 或 false',
    '{label} must be text': '{label} 必须是文字',
    '{label} got a value it cannot take': '{label} 收到了它不能接受的值',
}

# The pieces of the status lines the tabs write (a line is pieces joined by " · " or by new lines; `say` says each).
STATUS = {
    "done": "完成",
    "stopped": "已停止",
    "optimising": "优化中",
    "sampling": "采样中",
    "generating": "生成中",
    "running": "运行中",
    "{seconds} s": "{seconds} 秒",
    "distance {distance}": "距离 {distance}",
    "step {step}/{steps}": "第 {step}/{steps} 步",
    "{done} of {bars} bars": "{done}/{bars} 小节",
    "{tokens} tokens": "{tokens} 个词元",
    "{rate} tokens/s": "每秒 {rate} 个词元",
    "CLIP score {score}": "CLIP 分数 {score}",
    "{rows} × {columns} mixes of {model}'s {layers} layers in {seconds} s":
        "{model} 的 {layers} 层混合 {rows} × {columns} 格，用时 {seconds} 秒",
    "{n} × {width}x{height} {what}, seed {seed}, in {seconds} s": "{n} 张 {width}x{height} 的 {what}，种子 {seed}，用时 {seconds} 秒",
    "{label} from {model}": "{model} 画的 {label}",
    "{model}: {width}x{height}, {share} filled, in {seconds} s": "{model}：{width}x{height}，填充了 {share}，用时 {seconds} 秒",
    "{model}: {width}x{height} in {seconds} s": "{model}：{width}x{height}，用时 {seconds} 秒",
    "{cells} of {total} cells": "{cells}/{total} 个单元格",
    "{failed} failed": "{failed} 个失败",
    "{done}/{total} inputs": "{done}/{total} 个输入",
    "{made} outputs made": "生成了 {made} 个结果",
    "{skipped} skipped (done before)": "跳过 {skipped} 个（之前已完成）",
    "- {n} input(s): {notice}": "- {n} 个输入：{notice}",
    "Primer: {n} notes.": "开头旋律：{n} 个音符。",
    "No primer: the model starts on its own.": "没有开头旋律：由模型自己开头。",
    "{spans} clicks repaired by {model}.": "{model} 修复了 {spans} 处咔嗒声。",
    "{ms} ms filled at {start} s by {model}.": "{model} 在 {start} 秒处填补了 {ms} 毫秒。",
    "{name}: downloaded, {mb} MB.": "{name}：已下载，{mb} MB。",
    "{name}: unloaded.": "{name}：已卸载。",
    "{name} was not loaded.": "{name} 没有加载。",
    "{name}: deleted from the cache, {mb} MB freed.": "{name}：已从缓存删除，释放了 {mb} MB。",
    "Added {name}: a {task} model.": "已添加 {name}：一个 {task} 模型。",
    "{total} entries": "{total} 个条目",
    "page {page} of {pages}": "第 {page}/{pages} 页",
    "Nothing here yet: what you make in the other tabs appears here, newest first.":
        "这里还什么都没有：你在其他页面做的东西会出现在这里，最新的在前。",
    "★ starred": "★ 已加星标",
    "Entry {id} deleted.": "条目 {id} 已删除。",
    "seed {seed}. Which is better?": "种子 {seed}。哪个更好？",
    "You voted **{choice}**. A was **{a}**, B was **{b}**. Press New round for the next pair.":
        "你投了 **{choice}**。A 是 **{a}**，B 是 **{b}**。点“新一轮”看下一对。",
    "**{task}** record from {name}. {line}": "来自 {name} 的 **{task}** 记录。{line}",
    "The server is busy: {waiting} requests are waiting, as many as it holds; try again in a minute.":
        "服务器正忙：有 {waiting} 个请求在等待，已达到上限；请过一分钟再试。",
}

